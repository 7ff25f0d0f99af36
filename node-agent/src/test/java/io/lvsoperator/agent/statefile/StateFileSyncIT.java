package io.lvsoperator.agent.statefile;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What reaches the kernel when a state file is written, with strace as the oracle: the temporary
 * file's data is fsync'd before the rename, and the directory is fsync'd after it. Anything less
 * can leave an empty or missing file after a power loss.
 */
class StateFileSyncIT {
  private static final Pattern OPEN =
      Pattern.compile("openat\\(AT_FDCWD, \"([^\"]+)\", ([^)]*)\\) = (\\d+)");
  private static final Pattern FSYNC = Pattern.compile("fsync\\((\\d+)\\)\\s+= 0");
  private static final Pattern RENAME =
      Pattern.compile("rename(?:at2?)?\\((?:AT_FDCWD, )?\"([^\"]+)\", (?:AT_FDCWD, )?\"([^\"]+)\"");

  @TempDir Path dir;

  @Test
  void dataIsSyncedBeforeTheRenameAndTheDirectoryAfterIt() throws Exception {
    Path file = dir.resolve("ipvs-owned");
    Path trace = dir.resolve("strace.log");
    Process p =
        new ProcessBuilder(
                "strace",
                "-f",
                "-qq",
                "-e",
                "trace=openat,fsync,fdatasync,rename,renameat,renameat2",
                "-o",
                trace.toString(),
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                StateFileWriter.class.getName(),
                file.toString())
            .inheritIO()
            .start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isZero();
    assertThat(Files.readAllLines(file)).containsExactly("tcp 2 10.0.0.1 80");

    List<String> steps = new ArrayList<>();
    String tempFd = null;
    String tempPath = null;
    String dirFd = null;
    for (String line : Files.readAllLines(trace)) {
      Matcher m = OPEN.matcher(line);
      if (m.find()) {
        if (m.group(1).startsWith(dir + "/.ipvs-owned")
            && m.group(1).endsWith(".tmp")
            && m.group(2).contains("O_WRONLY")) {
          tempFd = m.group(3); // created, then opened again to write: the last one writes
          tempPath = m.group(1);
          if (!steps.contains("open temp")) {
            steps.add("open temp");
          }
        } else if (m.group(1).equals(dir.toString()) && tempPath != null) {
          dirFd = m.group(3);
          steps.add("open dir");
        }
        continue;
      }
      m = FSYNC.matcher(line);
      if (m.find()) {
        if (m.group(1).equals(tempFd)) {
          steps.add("fsync temp");
          tempFd = null; // the descriptor number may be reused later
        } else if (m.group(1).equals(dirFd)) {
          steps.add("fsync dir");
        }
        continue;
      }
      m = RENAME.matcher(line);
      if (m.find() && m.group(1).equals(tempPath) && m.group(2).equals(file.toString())) {
        steps.add("rename");
      }
    }

    assertThat(steps).containsExactly("open temp", "fsync temp", "rename", "open dir", "fsync dir");
  }
}
