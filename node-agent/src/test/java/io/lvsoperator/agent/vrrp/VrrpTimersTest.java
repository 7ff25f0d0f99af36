package io.lvsoperator.agent.vrrp;

import static org.assertj.core.api.Assertions.assertThat;

import io.lvsoperator.agent.vrrp.codec.VrrpVersion;
import org.junit.jupiter.api.Test;

class VrrpTimersTest {
  @Test
  void v3SkewScalesWithTheMastersInterval() {
    // ((256 - 100) * 100 cs) / 256 = 60.9375 cs
    assertThat(VrrpTimers.skewTimeNanos(VrrpVersion.V3, 100, 100)).isEqualTo(609_375_000L);
    assertThat(VrrpTimers.masterDownIntervalNanos(VrrpVersion.V3, 100, 100))
        .isEqualTo(3_000_000_000L + 609_375_000L);
    // 100 ms adverts: everything ten times shorter.
    assertThat(VrrpTimers.skewTimeNanos(VrrpVersion.V3, 100, 10)).isEqualTo(60_937_500L);
    assertThat(VrrpTimers.masterDownIntervalNanos(VrrpVersion.V3, 100, 10)).isEqualTo(360_937_500L);
    // (256 - 254) * 4095 cs / 256 = 31.9921875 cs
    assertThat(VrrpTimers.skewTimeNanos(VrrpVersion.V3, 254, 4095)).isEqualTo(319_921_875L);
    assertThat(VrrpTimers.skewTimeNanos(VrrpVersion.V3, 1, 1)).isEqualTo(9_960_937L);
  }

  @Test
  void v2SkewIsAFractionOfASecondWhateverTheInterval() {
    // (256 - 100) / 256 s
    assertThat(VrrpTimers.skewTimeNanos(VrrpVersion.V2, 100, 100)).isEqualTo(609_375_000L);
    assertThat(VrrpTimers.skewTimeNanos(VrrpVersion.V2, 100, 300)).isEqualTo(609_375_000L);
    assertThat(VrrpTimers.masterDownIntervalNanos(VrrpVersion.V2, 254, 300))
        .isEqualTo(9_000_000_000L + 7_812_500L);
    assertThat(VrrpTimers.masterDownIntervalNanos(VrrpVersion.V2, 50, 100))
        .isEqualTo(3_000_000_000L + 804_687_500L);
  }

  @Test
  void higherPriorityAlwaysHasTheShorterMasterDownInterval() {
    for (VrrpVersion v : VrrpVersion.values()) {
      for (int p = 1; p < 254; p++) {
        assertThat(VrrpTimers.masterDownIntervalNanos(v, p + 1, 100))
            .isLessThan(VrrpTimers.masterDownIntervalNanos(v, p, 100));
      }
    }
  }
}
