package io.lvsoperator.keepalived.conf;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;

/**
 * Resolves the file name of an {@code include} as keepalived does with glob(3) and GLOB_BRACE:
 * relative to the directory of the including file, wildcards in any path component, csh-style
 * braces ({@code {a,b}}), results sorted per pattern, directories skipped, names starting with a
 * dot matched only by a pattern starting with a dot.
 */
final class IncludeGlob {
  private IncludeGlob() {}

  static List<Path> expand(String pattern, Path baseDir) throws IOException {
    List<Path> files = new ArrayList<>();
    for (String p : expandBraces(pattern)) {
      List<Path> current = new ArrayList<>();
      current.add(p.startsWith("/") ? Path.of("/") : baseDir);
      for (String component : p.split("/")) {
        if (component.isEmpty() || component.equals(".")) {
          continue;
        }
        List<Path> next = new ArrayList<>();
        for (Path dir : current) {
          if (isWildcard(component)) {
            next.addAll(matching(dir, component));
          } else {
            Path candidate = dir.resolve(component);
            if (Files.exists(candidate)) {
              next.add(candidate);
            }
          }
        }
        current = next;
      }
      current.stream().filter(Files::isRegularFile).forEach(files::add);
    }
    return files;
  }

  private static List<Path> matching(Path dir, String component) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + component);
    List<Path> found = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path entry : entries) {
        String name = entry.getFileName().toString();
        if (name.startsWith(".") && !component.startsWith(".")) {
          continue;
        }
        if (matcher.matches(entry.getFileName())) {
          found.add(entry);
        }
      }
    }
    found.sort(null);
    return found;
  }

  private static boolean isWildcard(String component) {
    return component.indexOf('*') >= 0
        || component.indexOf('?') >= 0
        || component.indexOf('[') >= 0;
  }

  /** {@code a{b,c{d,e}}f} gives abf, acdf, acef; a brace pair without a comma stays as it is. */
  static List<String> expandBraces(String pattern) {
    int open = -1;
    int depth = 0;
    List<Integer> commas = new ArrayList<>();
    for (int i = 0; i < pattern.length(); i++) {
      char c = pattern.charAt(i);
      if (c == '{') {
        if (depth == 0) {
          open = i;
          commas.clear();
        }
        depth++;
      } else if (c == '}' && depth > 0) {
        depth--;
        if (depth == 0 && !commas.isEmpty()) {
          String head = pattern.substring(0, open);
          String tail = pattern.substring(i + 1);
          List<String> result = new ArrayList<>();
          int from = open + 1;
          List<Integer> ends = new ArrayList<>(commas);
          ends.add(i);
          for (int end : ends) {
            for (String expanded : expandBraces(head + pattern.substring(from, end) + tail)) {
              result.add(expanded);
            }
            from = end + 1;
          }
          return result;
        }
      } else if (c == ',' && depth == 1) {
        commas.add(i);
      }
    }
    return List.of(pattern);
  }
}
