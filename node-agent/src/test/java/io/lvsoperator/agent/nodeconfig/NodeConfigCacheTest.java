package io.lvsoperator.agent.nodeconfig;

import static org.assertj.core.api.Assertions.assertThat;

import io.lvsoperator.api.v1alpha1.LvsNodeSliceSpec;
import io.lvsoperator.api.v1alpha1.LvsNodeSpec;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The disk cache of a node's config: round trip, modes, only changed files rewritten. */
class NodeConfigCacheTest {

  @TempDir Path cacheDir;

  /** A config of {@code slices} slices, each holding one copy of the reference's entry. */
  private static NodeConfig config(int slices, long generation) throws Exception {
    NodeConfig one = TestingNodeConfigs.split("lvs1", TestingNodeConfigs.reference("lvs1"), 1);
    LvsNodeSliceSpec.Entry entry = one.slices().firstEntry().getValue().spec().entries().getFirst();
    TreeMap<String, NodeConfig.Slice> map = new TreeMap<>();
    for (int i = 0; i < slices; i++) {
      map.put("lvs1-" + i, TestingNodeConfigs.slice(generation, "lvs1", entry));
    }
    return new NodeConfig(one.head(), generation, map, one.passwords());
  }

  private static Object inode(Path p) throws Exception {
    return Files.readAttributes(p, "unix:ino", LinkOption.NOFOLLOW_LINKS).get("ino");
  }

  @Test
  void roundTripsOwnerOnlyAndRewritesOnlyWhatChanged() throws Exception {
    NodeConfigCache cache = new NodeConfigCache(cacheDir, "lvs1");
    assertThat(cache.read()).isNull();
    NodeConfig first = config(3, 1);
    cache.write(null, first);

    assertThat(cache.read()).isEqualTo(first);
    Path dir = cache.directory();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)))
        .isEqualTo("rwx------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("slices"))))
        .isEqualTo("rwx------");
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f)))
            .as(f.toString())
            .isEqualTo("rw-------");
      }
    }
    assertThat(Files.readString(dir.resolve("passwords.json"))).contains("1111");

    Object head = inode(dir.resolve("head.json"));
    Object slice0 = inode(dir.resolve("slices/lvs1-0.json"));
    Object slice2 = inode(dir.resolve("slices/lvs1-2.json"));
    TreeMap<String, NodeConfig.Slice> slices = new TreeMap<>(first.slices());
    slices.put("lvs1-1", new NodeConfig.Slice(2, slices.get("lvs1-1").spec()));
    slices.remove("lvs1-2");
    NodeConfig second = new NodeConfig(first.head(), 1, slices, first.passwords());
    cache.write(first, second);

    assertThat(cache.read()).isEqualTo(second);
    assertThat(inode(dir.resolve("head.json"))).as("head unchanged: not rewritten").isEqualTo(head);
    assertThat(inode(dir.resolve("slices/lvs1-0.json"))).isEqualTo(slice0);
    assertThat(dir.resolve("slices/lvs1-2.json")).doesNotExist();
    assertThat(slice2).isNotNull();
  }

  @Test
  void theOneFileCacheOfEarlierAgentsIsReadAndRemovedByTheFirstWrite() throws Exception {
    LvsNodeSpec spec = TestingNodeConfigs.reference("lvs1");
    Path legacy = cacheDir.resolve("lvsnode-lvs1.json");
    Files.writeString(
        legacy,
        new com.fasterxml.jackson.databind.ObjectMapper()
            .writeValueAsString(Map.of("generation", 7, "spec", spec)));
    NodeConfigCache cache = new NodeConfigCache(cacheDir, "lvs1");

    NodeConfig read = cache.read();
    assertThat(read).isEqualTo(new NodeConfig(spec, 7, new TreeMap<>(), Map.of()));
    assertThat(read.spec()).isEqualTo(spec);

    cache.write(read, config(1, 8));
    assertThat(legacy).doesNotExist();
    assertThat(cache.read()).isEqualTo(config(1, 8));
  }

  @Test
  void aDamagedSliceFileIsLeftOutNotFatal() throws Exception {
    NodeConfigCache cache = new NodeConfigCache(cacheDir, "lvs1");
    cache.write(null, config(2, 1));
    Files.writeString(cache.directory().resolve("slices/lvs1-1.json"), "{not json");

    assertThat(cache.read().slices().keySet()).containsExactly("lvs1-0");
  }

  @Test
  void aVeryLongSliceNameGetsAFileNameThatFits() throws Exception {
    NodeConfigCache cache = new NodeConfigCache(cacheDir, "lvs1");
    String longName = "n".repeat(250) + "-0";
    assertThat(cache.sliceFile(longName).getFileName().toString().length()).isLessThan(255);
    NodeConfig one = config(1, 1);
    NodeConfig named =
        new NodeConfig(
            one.head(),
            1,
            new TreeMap<>(Map.of(longName, one.slices().firstEntry().getValue())),
            one.passwords());
    cache.write(null, named);
    assertThat(cache.read()).isEqualTo(named);
    assertThat(List.of(longName)).containsExactlyElementsOf(cache.read().slices().keySet());
  }
}
