package io.lvsoperator.operator.loadbalancer;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AddressPoolsTest {

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "10.0.0.7|10.0.0.7|10.0.0.7|1",
        "10.0.0.10-10.0.0.20|10.0.0.10|10.0.0.20|11",
        "10.0.0.250-10.0.1.5|10.0.0.250|10.0.1.5|12",
        "10.0.0.0/28|10.0.0.0|10.0.0.15|16",
        "10.0.0.0/24|10.0.0.0|10.0.0.255|256",
        "0.0.0.0/0|0.0.0.0|255.255.255.255|4294967296",
        "255.255.255.255/32|255.255.255.255|255.255.255.255|1"
      })
  void rangesParse(String text, String first, String last, long size) {
    AddressRange r = AddressRange.parse(text).range();
    assertThat(AddressRange.format(r.first())).isEqualTo(first);
    assertThat(AddressRange.format(r.last())).isEqualTo(last);
    assertThat(r.size()).isEqualTo(size);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "10.0.0.20-10.0.0.10|is a range that ends before it starts",
        "10.0.0.1/24|host bits are set (the block is 10.0.0.0/24)",
        "10.0.0.0/33|is not an IPv4 address, range or CIDR block",
        "10.0.0.256|is not an IPv4 address, range or CIDR block",
        "10.0.0.010|is not an IPv4 address, range or CIDR block",
        "10.0.0|is not an IPv4 address, range or CIDR block",
        "10.0.0.1-20|is not an IPv4 address, range or CIDR block",
        "fd00::1|is not an IPv4 address, range or CIDR block"
      })
  void badRangesSayWhy(String text, String error) {
    assertThat(AddressRange.parse(text).error()).contains(error);
  }

  @Test
  void theNewerOfTwoOverlappingPoolsHandsOutNothingButKeepsItsOwnRanges() {
    List<Pool> pools =
        AddressPools.validate(
            List.of(
                pool("b", 2, "10.0.0.8-10.0.0.20", "10.0.1.0/30"), pool("a", 1, "10.0.0.0/28")));
    assertThat(pools).extracting(Pool::name).containsExactly("a", "b");
    assertThat(pools.get(0).accepted()).isTrue();
    Pool b = pools.get(1);
    assertThat(b.reason()).isEqualTo(Pool.OVERLAP);
    assertThat(b.message())
        .contains(
            "spec.addresses[0]: 10.0.0.8-10.0.0.20 overlaps 10.0.0.0/28 of the older AddressPool"
                + " a")
        .contains("no new addresses are handed out");
    // what does not overlap stays b's, so a Service holding 10.0.1.1 keeps it
    assertThat(b.ranges()).extracting(AddressRange::text).containsExactly("10.0.1.0/30");
    assertThat(b.contains(0x0A000101L)).isTrue();
    assertThat(b.contains(0x0A000009L)).isFalse();
  }

  @Test
  void aPoolOverlappingItselfOrWithABadEntryIsInvalid() {
    Pool p =
        AddressPools.validate(List.of(pool("a", 1, "10.0.0.0/30", "10.0.0.2", "10.0.0.9-10.0.0.8")))
            .getFirst();
    assertThat(p.reason()).isEqualTo(Pool.INVALID_SPEC);
    assertThat(p.message())
        .contains("spec.addresses[1]: 10.0.0.2 overlaps 10.0.0.0/30 of this pool")
        .contains("spec.addresses[2]: 10.0.0.9-10.0.0.8 is a range that ends before it starts");
    assertThat(p.size()).isEqualTo(4);
  }

  @Test
  void namespacesAdmit() {
    Pool open = AddressPools.validate(List.of(pool("a", 1, "10.0.0.1"))).getFirst();
    Pool closed =
        AddressPools.validate(
                List.of(
                    new PoolDefinition(
                        "b", Instant.EPOCH, List.of("10.0.0.1"), Set.of("team-a"), true)))
            .getFirst();
    assertThat(open.admits("anything")).isTrue();
    assertThat(closed.admits("team-a")).isTrue();
    assertThat(closed.admits("team-b")).isFalse();
  }

  static PoolDefinition pool(String name, long created, String... addresses) {
    return new PoolDefinition(
        name, Instant.ofEpochSecond(created), List.of(addresses), Set.of(), true);
  }
}
