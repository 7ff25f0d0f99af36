package io.lvsoperator.keepalived.manifest;

import java.util.ArrayList;
import java.util.List;

/** An ordered YAML sequence whose items may carry a comment. */
public final class YamlList {
  /** One item and its comment (null for none). */
  public record Item(Object value, String comment) {}

  private final List<Item> items = new ArrayList<>();

  public YamlList add(Object value, String comment) {
    items.add(new Item(value, comment));
    return this;
  }

  public YamlList add(Object value) {
    return add(value, null);
  }

  public List<Item> items() {
    return List.copyOf(items);
  }

  public boolean isEmpty() {
    return items.isEmpty();
  }
}
