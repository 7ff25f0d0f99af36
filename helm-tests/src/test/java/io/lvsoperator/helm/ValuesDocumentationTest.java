package io.lvsoperator.helm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * values.yaml is documented field by field: every value a user can set has a comment right above
 * it, or sits inside a documented value (e.g. the Kubernetes objects under {@code resources}).
 */
class ValuesDocumentationTest {
  private static final Pattern KEY = Pattern.compile("^(\\s*)([A-Za-z][A-Za-z0-9_.]*):(.*)$");

  record Key(int indent, String path, boolean documented) {}

  @Test
  void everyValueHasAComment() throws Exception {
    List<String> lines = Files.readAllLines(RenderedChart.CHART.resolve("values.yaml"));
    List<String> undocumented = new ArrayList<>();
    Deque<Key> stack = new ArrayDeque<>();
    int checked = 0;
    for (int i = 0; i < lines.size(); i++) {
      Matcher m = KEY.matcher(lines.get(i));
      if (!m.matches()) {
        continue;
      }
      int indent = m.group(1).length();
      while (!stack.isEmpty() && stack.peek().indent() >= indent) {
        stack.pop();
      }
      boolean inherited = stack.stream().anyMatch(Key::documented);
      boolean commented = previousNonBlank(lines, i).strip().startsWith("#");
      String path = (stack.isEmpty() ? "" : stack.peek().path() + ".") + m.group(2);
      boolean hasChildren = m.group(3).isBlank() && nextIsIndentedKey(lines, i, indent);
      if (!hasChildren && !inherited) {
        checked++;
        if (!commented) {
          undocumented.add(path);
        }
      }
      stack.push(new Key(indent, path, commented || inherited));
    }
    assertThat(checked).as("values checked").isGreaterThan(30);
    assertThat(undocumented).as("values without a comment in values.yaml").isEmpty();
  }

  private static String previousNonBlank(List<String> lines, int i) {
    for (int j = i - 1; j >= 0; j--) {
      if (!lines.get(j).isBlank()) {
        return lines.get(j);
      }
    }
    return "";
  }

  private static boolean nextIsIndentedKey(List<String> lines, int i, int indent) {
    for (int j = i + 1; j < lines.size(); j++) {
      String line = lines.get(j);
      if (line.isBlank() || line.strip().startsWith("#")) {
        continue;
      }
      Matcher m = KEY.matcher(line);
      return m.matches() && m.group(1).length() > indent;
    }
    return false;
  }
}
