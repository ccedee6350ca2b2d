package dev.hotpath.agent;

import org.junit.jupiter.api.Test;

import java.nio.file.Paths;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AgentOptionsTest {
    @Test
    void parsesEveryOption() {
        AgentOptions o = AgentOptions.parse("snapshot=/tmp/s.json,interval=500ms,port=9404,jfr=true,"
                + "jfrThreshold=2ms,maxSites=10,maxTargetsPerSite=3,include=com.acme;org.x,exclude=com.acme.gen,"
                + "sample=16,tags=false");
        assertThat(o.snapshot()).isEqualTo(Paths.get("/tmp/s.json"));
        assertThat(o.intervalMillis()).isEqualTo(500);
        assertThat(o.port()).isEqualTo(9404);
        assertThat(o.jfr()).isTrue();
        assertThat(o.jfrThresholdNanos()).isEqualTo(2_000_000);
        assertThat(o.maxSites).isEqualTo(10);
        assertThat(o.maxTargetsPerSite).isEqualTo(3);
        assertThat(o.include).containsExactly("com.acme", "org.x");
        assertThat(o.exclude).containsExactly("com.acme.gen");
        assertThat(o.sampleMean).isEqualTo(16);
        assertThat(o.tags).isFalse();
    }

    @Test
    void defaultsMatchDesign() {
        AgentOptions o = AgentOptions.parse(null);
        assertThat(o.snapshot()).isNull();
        assertThat(o.intervalMillis()).isEqualTo(10_000);
        assertThat(o.port()).isZero();
        assertThat(o.jfr()).isFalse();
        assertThat(o.maxSites).isEqualTo(4096);
        assertThat(o.maxTargetsPerSite).isZero(); // the registry's default: 512 of 4,096
        assertThat(o.sampleMean).isEqualTo(256);
        assertThat(o.tags).isTrue();
    }

    @Test
    void badOptionsAreNamed() {
        assertThatThrownBy(() -> AgentOptions.parse("colour=red")).hasMessage("unknown option 'colour'");
        assertThatThrownBy(() -> AgentOptions.parse("port=x")).hasMessage("port=x: not a number");
        assertThatThrownBy(() -> AgentOptions.parse("interval=10")).hasMessage(
                "interval=10: expected a duration such as 10s or 500ms");
        assertThatThrownBy(() -> AgentOptions.parse("jfr=yes")).hasMessage("jfr=yes: expected true or false");
    }

    @Test
    void timingSamplesFastOpsUnlessJfrNeedsEveryOne() {
        assertThat(AgentOptions.parse("").timingPeriod()).isEqualTo(32);
        assertThat(AgentOptions.parse("jfr=true").timingPeriod()).isEqualTo(1);
        assertThat(AgentOptions.parse("jfr=true,timing=4").timingPeriod()).isEqualTo(4);
        assertThat(AgentOptions.parse("timing=1").timingPeriod()).isEqualTo(1);
        assertThatThrownBy(() -> AgentOptions.parse("timing=0")).hasMessage("timing=0: expected 1..1048576");
    }
}
