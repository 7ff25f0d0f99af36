package io.lvsoperator.agent.nodeconfig;

import io.lvsoperator.agent.scheduling.Scheduler;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides when a node applies which {@link NodeConfig}, on one scheduler thread:
 *
 * <ul>
 *   <li>At start, the cached config (if any) is applied at once: the data plane runs while the API
 *       server cannot be reached.
 *   <li>Nothing from the API server is applied before the initial lists are complete ({@link
 *       Source#current} is empty until then), and changes are debounced: the first change of a
 *       burst applies {@code debounce} later, with every change that arrived meanwhile.
 *   <li>A config that empties the node (the head gone, or every slice gone, where there were some;
 *       e.g. the CRDs removed, or a restart while the LvsNode is gone) is not applied on that one
 *       read: {@code confirmDelay} later the API server is read again directly ({@link
 *       Source#readNow}); only if that read still finds it gone is it applied. Meanwhile what ran
 *       keeps running. So a restarted agent whose LvsNode is gone serves its cache for {@code
 *       confirmDelay} after the first complete list, then follows the list.
 * </ul>
 */
public final class NodeConfigFollower {
  private static final Logger log = LoggerFactory.getLogger(NodeConfigFollower.class);

  /** What the API server says. */
  public interface Source {
    /**
     * The config the informers hold now, or empty while an initial list the config needs (head,
     * slices, and the Secret when the head names a password) is not complete.
     */
    Optional<NodeConfig> current();

    /**
     * The head and the slices read from the API server itself, not from the informers' caches (the
     * passwords may be the informer's); throws when it cannot be reached.
     */
    NodeConfig readNow() throws Exception;
  }

  /** Where a decided config goes. */
  public interface Target {
    /**
     * Apply {@code config} (its complete spec, {@link NodeConfig#spec}), and remember it; {@code
     * fromCache} when it is the cached copy served at start.
     */
    void apply(NodeConfig config, boolean fromCache);
  }

  private final Scheduler scheduler;
  private final Source source;
  private final Target target;
  private final Duration debounce;
  private final Duration confirmDelay;

  private NodeConfig applied; // on the scheduler thread only
  private boolean flushPending; // guarded by this
  private Scheduler.Cancellable confirmation; // on the scheduler thread only

  public NodeConfigFollower(
      Scheduler scheduler, Source source, Target target, Duration debounce, Duration confirmDelay) {
    this.scheduler = scheduler;
    this.source = source;
    this.target = target;
    this.debounce = debounce;
    this.confirmDelay = confirmDelay;
  }

  /** Serves {@code cached} (null: none) at once; what the API server says follows. */
  public void start(NodeConfig cached) {
    scheduler.execute(
        () -> {
          if (cached != null && applied == null) {
            applied = cached;
            target.apply(cached, true);
          }
        });
  }

  /** Something the config is made of changed, or an initial list completed. */
  public void changed() {
    synchronized (this) {
      if (flushPending) {
        return;
      }
      flushPending = true;
    }
    scheduler.schedule(this::flush, debounce.toNanos());
  }

  private void flush() {
    synchronized (this) {
      flushPending = false;
    }
    Optional<NodeConfig> now = source.current();
    if (now.isEmpty()) {
      return; // an initial list is not complete: the next changed() comes when it is
    }
    NodeConfig next = now.get();
    if (empties(applied, next)) {
      if (confirmation == null) {
        log.warn(
            "event=config_deletion_seen head={} slices={} action=confirm_in_ms={}",
            next.hasHead(),
            next.slices().size(),
            confirmDelay.toMillis());
        confirmation = scheduler.schedule(this::confirm, confirmDelay.toNanos());
      }
      return;
    }
    cancelConfirmation();
    applyIfChanged(next);
  }

  private void confirm() {
    confirmation = null;
    NodeConfig fresh;
    try {
      fresh = source.readNow();
    } catch (Exception e) {
      log.warn(
          "event=config_deletion_unconfirmed reason=\"read failed: {}\" action=retry_in_ms={}",
          e.getMessage(),
          confirmDelay.toMillis());
      confirmation = scheduler.schedule(this::confirm, confirmDelay.toNanos());
      return;
    }
    if (!empties(applied, fresh)) {
      // The informers lag behind the API server: keep what runs, look again in a while.
      log.warn(
          "event=config_deletion_not_confirmed head={} slices={}",
          fresh.hasHead(),
          fresh.slices().size());
      scheduler.schedule(this::changed, confirmDelay.toNanos());
      return;
    }
    log.warn(
        "event=config_deletion_confirmed head={} slices={} had_head={} had_slices={}",
        fresh.hasHead(),
        fresh.slices().size(),
        applied.hasHead(),
        applied.slices().size());
    applyIfChanged(fresh);
  }

  private void cancelConfirmation() {
    if (confirmation != null) {
      confirmation.cancel();
      confirmation = null;
      log.info("event=config_deletion_withdrawn");
    }
  }

  private void applyIfChanged(NodeConfig next) {
    if (next.equals(applied)) {
      return;
    }
    applied = next;
    target.apply(next, false);
  }

  /**
   * Whether going from {@code before} to {@code after} empties the node: its head goes, or the last
   * of its slices. Nothing ran before (no cache, nothing applied): never.
   */
  static boolean empties(NodeConfig before, NodeConfig after) {
    if (before == null) {
      return false;
    }
    boolean headGone = before.hasHead() && !after.hasHead();
    boolean slicesGone = !before.slices().isEmpty() && after.slices().isEmpty();
    return headGone || slicesGone;
  }
}
