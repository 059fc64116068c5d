package dev.herd.state.local;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class StateHeapTest {

    private static final long MIB = 1 << 20;

    @Test
    void theDefaultStoreFitsTheLaunchersMasterHeap() {
        // The launcher gives the master -Xmx256m; the serial collector reports a little less.
        assertThat(StateServer.heapShortfall(64 * MIB, 247 * MIB)).isNull();
    }

    @Test
    void aStoreTooLargeForTheHeapSaysWhatWouldFit() {
        assertThat(StateServer.heapShortfall(1024 * MIB, 247 * MIB))
                .isEqualTo("--state-max-bytes 1024m does not fit the master's heap of 247 MiB (a full store needs"
                        + " about 1601 MiB): lower it, or start herd with HERD_MASTER_JAVA_OPTS=-Xmx1601m");
    }

    @Test
    void theNeedCountsHalfAgainForJavasOverheadAndRoomForTheRest() {
        long needed = 100 * MIB + 50 * MIB + StateServer.HEAP_FOR_THE_REST;
        assertThat(StateServer.heapShortfall(100 * MIB, needed)).isNull();
        assertThat(StateServer.heapShortfall(100 * MIB, needed - 1)).isNotNull();
    }
}
