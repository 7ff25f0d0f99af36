package io.lvsoperator.operator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@code kubectl get} prints: the CRD's additionalPrinterColumns, their JSONPaths evaluated
 * against an object. Supports the JSONPath subset the CRDs use: {@code .a.b} and a filter {@code
 * .a[?(@.k=="v")].b}.
 */
final class PrinterColumns {
  private static final Pattern FILTER =
      Pattern.compile("([A-Za-z0-9_]+)\\[\\?\\(@\\.([A-Za-z0-9_]+)==\"([^\"]*)\"\\)\\]");

  private PrinterColumns() {}

  /** Column name to JSONPath, in the CRD's order. */
  static Map<String, String> columns(Path crd) throws IOException {
    return columnField(crd, "jsonPath");
  }

  /** Column name to type (string, integer, date, ...), in the CRD's order. */
  static Map<String, String> types(Path crd) throws IOException {
    return columnField(crd, "type");
  }

  private static Map<String, String> columnField(Path crd, String field) throws IOException {
    JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(crd.toFile());
    Map<String, String> out = new LinkedHashMap<>();
    for (JsonNode c : root.path("spec").path("versions").get(0).path("additionalPrinterColumns")) {
      out.put(c.path("name").asText(), c.path(field).asText());
    }
    return out;
  }

  /** Each column's text as kubectl shows it ("" when the path finds nothing). */
  static Map<String, String> row(Path crd, Object resource) throws IOException {
    JsonNode json = new ObjectMapper().valueToTree(resource);
    Map<String, String> row = new LinkedHashMap<>();
    for (var e : columns(crd).entrySet()) {
      List<String> values = new ArrayList<>();
      for (JsonNode n : evaluate(json, e.getValue())) {
        values.add(n.isValueNode() ? n.asText() : n.toString());
      }
      row.put(e.getKey(), String.join(",", values));
    }
    return row;
  }

  static List<JsonNode> evaluate(JsonNode root, String path) {
    if (!path.startsWith(".")) {
      throw new IllegalArgumentException("JSONPath " + path + ": expected to start with '.'");
    }
    List<JsonNode> current = List.of(root);
    for (String segment : split(path.substring(1))) {
      List<JsonNode> next = new ArrayList<>();
      Matcher m = FILTER.matcher(segment);
      for (JsonNode n : current) {
        if (m.matches()) {
          for (JsonNode item : n.path(m.group(1))) {
            if (m.group(3).equals(item.path(m.group(2)).asText(null))) {
              next.add(item);
            }
          }
        } else if (n.has(segment) && !n.get(segment).isNull()) {
          next.add(n.get(segment));
        }
      }
      current = next;
    }
    return current;
  }

  /** Splits on dots outside brackets. */
  private static List<String> split(String path) {
    List<String> out = new ArrayList<>();
    int depth = 0;
    StringBuilder sb = new StringBuilder();
    for (char ch : path.toCharArray()) {
      if (ch == '[') {
        depth++;
      } else if (ch == ']') {
        depth--;
      }
      if (ch == '.' && depth == 0) {
        out.add(sb.toString());
        sb.setLength(0);
      } else {
        sb.append(ch);
      }
    }
    out.add(sb.toString());
    return out;
  }
}
