package dev.hotpath.analyzer.rules.heap;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Which holders are the JDK's own tables (no leak suspects) and which are frame locals. */
class JdkHoldersTest {
    @Test
    void jdkStaticsSystemClassesAndJniGlobalsAreTheJdks() {
        assertThat(JdkHolders.isJdk("static java.time.zone.ZoneRulesProvider.ZONES")).isTrue();
        assertThat(JdkHolders.isJdk("static jdk.jfr.internal.StringPool.sp")).isTrue();
        assertThat(JdkHolders.isJdk("system class root class sun.security.ssl.SSLContextImpl$DefaultManagersHolder")).isTrue();
        assertThat(JdkHolders.isJdk("static com.sun.crypto.provider.SunJCE.instance")).isTrue();
        assertThat(JdkHolders.isJdk("JNI global root java.lang.Object[]@0xffe72730")).isTrue();
        // the program's own holders, even when they are JDK collections
        assertThat(JdkHolders.isJdk("static com.acme.Cache.ENTRIES")).isFalse();
        assertThat(JdkHolders.isJdk("Java frame root java.util.HashMap@0xf023b7a0")).isFalse();
        assertThat(JdkHolders.isJdk("Java frame root dev.hotpath.samples.cache.Cache@0xf023b7a0")).isFalse();
        assertThat(JdkHolders.isJdk("thread \"main\" local in java.lang.Thread.run.target")).isFalse();
        assertThat(JdkHolders.isJdk("static javaapp.Registry.ITEMS")).isFalse();
        assertThat(JdkHolders.isJdk(null)).isFalse();
    }

    @Test
    void frameLocals() {
        assertThat(JdkHolders.isFrameLocal("thread \"cache-http-5\" local in dev.hotpath.samples.common.OriginClient.send")).isTrue();
        assertThat(JdkHolders.isFrameLocal("thread \"main\" local")).isTrue();
        assertThat(JdkHolders.isFrameLocal("ThreadLocal on thread \"main\"")).isFalse();
        assertThat(JdkHolders.isFrameLocal("static com.acme.Cache.ENTRIES")).isFalse();
    }
}
