package io.lvsoperator.agent.statefile;

import java.nio.file.Path;
import java.util.List;

/** A process that writes one state file ({@link StateFileSyncIT} watches it with strace). */
public final class StateFileWriter {
  private StateFileWriter() {}

  public static void main(String[] args) throws Exception {
    new StateFile(Path.of(args[0])).writeLines(List.of("tcp 2 10.0.0.1 80"));
  }
}
