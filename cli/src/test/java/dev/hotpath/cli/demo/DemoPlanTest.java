package dev.hotpath.cli.demo;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DemoPlanTest {
    @Test
    void defaultPlantsOneFaultInEachOfIoHeapNativeAllocationAndLocks() {
        DemoPlan plan = DemoPlan.of(null, false);
        assertThat(plan.faultArgs()).containsExactly(
                "--fault=small-writes,fsync-per-write,heap-leak,native-leak,lock-contention,alloc-churn");
    }

    @Test
    void cleanPlantsNothing() {
        assertThat(DemoPlan.of(null, true).faultArgs()).isEmpty();
    }

    @Test
    void faultsAreValidatedAndOrdered() {
        assertThat(DemoPlan.of("random-reads, heap-leak", false).faultArgs()).isEqualTo(List.of("--fault=heap-leak,random-reads"));
        assertThatThrownBy(() -> DemoPlan.of("heap-leak,disk-full", false))
                .hasMessage("--faults: unknown fault 'disk-full' (known: small-writes,fsync-per-write,heap-leak,native-leak,"
                        + "lock-contention,alloc-churn,gc-pressure,random-reads)");
    }
}
