package io.lvsoperator.agent.node;

import io.lvsoperator.agent.vrrp.VrrpState;
import io.lvsoperator.api.v1alpha1.LvsNodeSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Which commands a state change runs (keepalived's notify_master, notify_backup, notify_fault,
 * notify_stop and notify), as argument lists: a command line is split on whitespace, double quotes
 * keep words together (and are dropped), as keepalived reads a notify line. The state's own command
 * runs first, then {@code any} with keepalived's four arguments appended: {@code INSTANCE <name>
 * <STATE> <priority>}, STATE one of MASTER, BACKUP, FAULT, STOP. Pure: {@link Notifier} runs them.
 */
public final class NotifyCommands {
  private NotifyCommands() {}

  /** One command to run for one instance. */
  public record Command(String instance, String state, List<String> argv, Duration timeout) {
    public Command {
      argv = List.copyOf(argv);
    }
  }

  /** Runs commands off the VRRP thread; {@link #submit} must never block. */
  @FunctionalInterface
  public interface Notifier {
    /** Queues {@code commands}, to run in this order after the instance's earlier ones. */
    void submit(List<Command> commands);

    /** Runs nothing (Kubernetes mode, tests). */
    Notifier NONE = commands -> {};
  }

  /** keepalived's word for a state: INITIALIZE, which an instance reaches by stopping, is STOP. */
  public static String keepalivedState(VrrpState state) {
    return state == VrrpState.INITIALIZE ? "STOP" : state.name();
  }

  /** The commands {@code instance} runs on entering {@code to}; empty when it has none. */
  public static List<Command> on(LvsNodeSpec.VrrpInstance instance, VrrpState to) {
    LvsNodeSpec.Notify n = instance.notifyCommands();
    if (n == null) {
      return List.of();
    }
    String state = keepalivedState(to);
    String own =
        switch (to) {
          case MASTER -> n.master();
          case BACKUP -> n.backup();
          case FAULT -> n.fault();
          case INITIALIZE -> n.stop();
        };
    Duration timeout = Duration.ofMillis(n.timeoutMs());
    List<Command> commands = new ArrayList<>(2);
    if (own != null && !words(own).isEmpty()) {
      commands.add(new Command(instance.name(), state, words(own), timeout));
    }
    if (n.any() != null && !words(n.any()).isEmpty()) {
      List<String> argv = new ArrayList<>(words(n.any()));
      argv.addAll(List.of("INSTANCE", instance.name(), state, String.valueOf(instance.priority())));
      commands.add(new Command(instance.name(), state, argv, timeout));
    }
    return List.copyOf(commands);
  }

  /**
   * A command line as words: split on whitespace outside double quotes; quotes group and are
   * dropped ({@code sh -c "echo a b"} is three words). An unclosed quote runs to the end of the
   * line.
   */
  public static List<String> words(String line) {
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    boolean quoted = false;
    boolean inWord = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '"') {
        quoted = !quoted;
        inWord = true;
      } else if (Character.isWhitespace(c) && !quoted) {
        if (inWord) {
          words.add(word.toString());
          word.setLength(0);
          inWord = false;
        }
      } else {
        word.append(c);
        inWord = true;
      }
    }
    if (inWord) {
      words.add(word.toString());
    }
    return List.copyOf(words);
  }
}
