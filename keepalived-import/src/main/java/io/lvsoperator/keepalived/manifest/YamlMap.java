package io.lvsoperator.keepalived.manifest;

import java.util.ArrayList;
import java.util.List;

/**
 * An ordered YAML mapping whose entries may carry a comment, written after the value on the same
 * line. Values are strings, numbers, booleans, {@link YamlMap}s and {@link YamlList}s.
 */
public final class YamlMap {
  /** One key, its value and its comment (null for none). */
  public record Entry(String key, Object value, String comment) {}

  private final List<Entry> entries = new ArrayList<>();

  /** Adds {@code key: value # comment}; a null value adds nothing. */
  public YamlMap put(String key, Object value, String comment) {
    if (value != null) {
      entries.add(new Entry(key, value, comment));
    }
    return this;
  }

  public YamlMap put(String key, Object value) {
    return put(key, value, null);
  }

  public List<Entry> entries() {
    return List.copyOf(entries);
  }

  public boolean isEmpty() {
    return entries.isEmpty();
  }

  /** The value of {@code key}, or null. */
  public Object get(String key) {
    for (Entry e : entries) {
      if (e.key.equals(key)) {
        return e.value;
      }
    }
    return null;
  }
}
