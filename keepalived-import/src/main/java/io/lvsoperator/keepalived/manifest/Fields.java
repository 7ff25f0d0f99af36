package io.lvsoperator.keepalived.manifest;

import io.lvsoperator.keepalived.conf.Location;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The fields one director's keepalived.conf gives an object, by dotted path ({@code
 * vrrp.interface}), each with its value, its comment and its line. Two directors' fields are
 * compared value by value ({@link #differences}); the agreed ones become YAML ({@link #toYaml}).
 * Values are strings, numbers, booleans, lists of them and maps of them (plain Java values, so that
 * equal settings compare equal).
 */
final class Fields {
  /** One field: its value, the comment written beside it, and where it came from (or null). */
  record Field(Object value, String comment, Location at) {}

  /** A field whose value differs between two directors. */
  record Difference(String path, Field first, Field second) {}

  private final Map<String, Field> fields = new LinkedHashMap<>();
  private final Map<String, String> sectionComments = new LinkedHashMap<>();

  Fields put(String path, Object value, String comment, Location at) {
    if (value != null) {
      fields.put(path, new Field(value, comment, at));
    }
    return this;
  }

  /** The comment written on the line of the map at {@code path} ({@code vrrp: # ...}). */
  Fields section(String path, String comment) {
    sectionComments.put(path, comment);
    return this;
  }

  Field get(String path) {
    return fields.get(path);
  }

  Object value(String path) {
    Field f = fields.get(path);
    return f == null ? null : f.value();
  }

  Map<String, Field> all() {
    return fields;
  }

  /** The fields whose values differ, or that only one of the two has. */
  List<Difference> differences(Fields other) {
    List<Difference> out = new ArrayList<>();
    for (Map.Entry<String, Field> e : fields.entrySet()) {
      Field mine = e.getValue();
      Field theirs = other.fields.get(e.getKey());
      if (theirs == null || !Objects.equals(mine.value(), theirs.value())) {
        out.add(new Difference(e.getKey(), mine, theirs));
      }
    }
    for (Map.Entry<String, Field> e : other.fields.entrySet()) {
      if (!fields.containsKey(e.getKey())) {
        out.add(new Difference(e.getKey(), null, e.getValue()));
      }
    }
    return out;
  }

  /** The fields as nested YAML maps, in the order they were put. */
  YamlMap toYaml() {
    YamlMap root = new YamlMap();
    Map<String, YamlMap> maps = new LinkedHashMap<>();
    maps.put("", root);
    for (Map.Entry<String, Field> e : fields.entrySet()) {
      String path = e.getKey();
      if (isInternal(path)) {
        continue;
      }
      int dot = path.lastIndexOf('.');
      YamlMap parent = mapAt(dot < 0 ? "" : path.substring(0, dot), maps);
      parent.put(path.substring(dot + 1), yaml(e.getValue().value()), e.getValue().comment());
    }
    return root;
  }

  /** Paths with a segment starting with "_" are compared between directors but not written. */
  static boolean isInternal(String path) {
    return path.startsWith("_") || path.contains("._");
  }

  private YamlMap mapAt(String path, Map<String, YamlMap> maps) {
    YamlMap m = maps.get(path);
    if (m != null) {
      return m;
    }
    int dot = path.lastIndexOf('.');
    YamlMap parent = mapAt(dot < 0 ? "" : path.substring(0, dot), maps);
    m = new YamlMap();
    parent.put(path.substring(dot + 1), m, sectionComments.get(path));
    maps.put(path, m);
    return m;
  }

  static Object yaml(Object value) {
    if (value instanceof List<?> list) {
      YamlList l = new YamlList();
      list.forEach(v -> l.add(yaml(v)));
      return l;
    }
    if (value instanceof Map<?, ?> map) {
      YamlMap m = new YamlMap();
      map.forEach((k, v) -> m.put((String) k, yaml(v)));
      return m;
    }
    return value;
  }
}
