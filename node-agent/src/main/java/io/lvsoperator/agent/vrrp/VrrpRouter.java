package io.lvsoperator.agent.vrrp;

import io.lvsoperator.agent.scheduling.Scheduler;
import io.lvsoperator.agent.vrrp.codec.VrrpAdvertisement;
import io.lvsoperator.agent.vrrp.codec.VrrpCodec;
import io.lvsoperator.agent.vrrp.codec.VrrpConstants;
import io.lvsoperator.agent.vrrp.codec.VrrpVersion;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One virtual router: the state machine of RFC 5798 section 6.4 (and RFC 3768 section 6.4 for v2)
 * plus FAULT and a make-before-break graceful shutdown. Every method runs on the event loop.
 *
 * <p>Adverts are encoded once per destination and priority and re-sent from those buffers, so the
 * steady state allocates nothing per advert.
 */
final class VrrpRouter {
  private static final Logger log = LoggerFactory.getLogger(VrrpRouter.class);

  private final Scheduler loop;
  private final VrrpTransport transport;
  private final VrrpEffects effects;
  private final VrrpTransition.Listener listener;
  private final DeadlineTimer masterDownTimer;
  private final DeadlineTimer adverTimer;
  private final DeadlineTimer handoverTimer;
  private final DeadlineTimer garpRefreshTimer;
  private final DeadlineTimer vipRetryTimer;
  private final DeadlineTimer vipRenewalTimer;

  private VrrpInstanceConfig config;
  private VrrpSyncGroup syncGroup;
  private VrrpState state = VrrpState.INITIALIZE;
  private int masterAdverIntervalCentis;
  private int heardIntervalCentis; // the last interval a master advertised, for the log
  private long backupSinceNanos;
  private boolean linkFault;
  private String faultCause; // link-down or data-plane-unready while linkFault
  private long lastMasterAdvertNanos = -1; // in BACKUP: when the master was last heard, else -1
  private boolean masterStopping; // in BACKUP: the master's last advert had priority 0
  private long lastRivalAnswerNanos = -1; // when a lower-priority master was last answered
  private boolean vipFault;
  private int vipFailures;
  private Phase phase = Phase.IDLE;
  private CompletableFuture<Void> handoverDone; // completes when HANDING_OVER ends in INITIALIZE

  private byte[] encodedSource;
  private byte[][] destinations;
  private byte[][] adverts;
  private byte[][] stopAdverts;
  private int advertLength;

  private long advertsSent;
  private long sendErrors;

  /** Where the router is in its life, beside its VRRP state. */
  private enum Phase {
    /** Not started yet, or stopped: adverts and timers change nothing. */
    IDLE,
    /** Running the state machine. */
    RUNNING,
    /**
     * Shut down while master, make-before-break: priority 0 sent, the VIPs kept until the new
     * master is heard or the handover bound passes ({@link #finishHandover}), then INITIALIZE.
     * Nothing else runs meanwhile.
     */
    HANDING_OVER
  }

  VrrpRouter(
      VrrpInstanceConfig config,
      Scheduler loop,
      VrrpTransport transport,
      VrrpEffects effects,
      VrrpTransition.Listener listener) {
    this.config = config;
    this.loop = loop;
    this.transport = transport;
    this.effects = effects;
    this.listener = listener;
    this.masterDownTimer = new DeadlineTimer(loop, this::onMasterDownTimer);
    this.adverTimer = new DeadlineTimer(loop, this::onAdverTimer);
    this.handoverTimer = new DeadlineTimer(loop, () -> finishHandover("handover-bound"));
    this.garpRefreshTimer = new DeadlineTimer(loop, this::onGarpRefreshTimer);
    this.vipRetryTimer = new DeadlineTimer(loop, this::onVipRetryTimer);
    this.vipRenewalTimer = new DeadlineTimer(loop, this::onVipRenewalTimer);
    this.masterAdverIntervalCentis = config.advertIntervalCentis();
    this.heardIntervalCentis = config.advertIntervalCentis();
    encodeAdverts();
  }

  VrrpInstanceConfig config() {
    return config;
  }

  VrrpState state() {
    return state;
  }

  int masterAdverIntervalCentis() {
    return masterAdverIntervalCentis;
  }

  long advertsSent() {
    return advertsSent;
  }

  long sendErrors() {
    return sendErrors;
  }

  /** FAULT of this instance itself: a tracked interface down, or its VIPs could not be added. */
  boolean ownFault() {
    return linkFault || vipFault;
  }

  void joinSyncGroup(VrrpSyncGroup group) {
    this.syncGroup = group;
  }

  /** Skew_Time for the current Master_Adver_Interval. */
  long skewTimeNanos() {
    return VrrpTimers.skewTimeNanos(config.version(), config.priority(), masterAdverIntervalCentis);
  }

  /** Master_Down_Interval for the current Master_Adver_Interval. */
  long masterDownIntervalNanos() {
    return VrrpTimers.masterDownIntervalNanos(
        config.version(), config.priority(), masterAdverIntervalCentis);
  }

  /** Nanoseconds until Master_Down_Timer fires, -1 when not running. */
  long masterDownRemainingNanos() {
    return masterDownTimer.remainingNanos();
  }

  // ---- events ----

  /** RFC Startup event. */
  void start() {
    if (phase != Phase.IDLE) {
      return;
    }
    phase = Phase.RUNNING;
    startup("startup");
  }

  private void startup(String reason) {
    if (faulted()) {
      transition(VrrpState.FAULT, faultReason());
    } else if (config.addressOwner()) {
      becomeMaster(reason);
    } else {
      becomeBackup(reason);
    }
  }

  /**
   * RFC Shutdown event, make-before-break: a master sends priority 0 and keeps its VIPs until it
   * hears the new master or {@code bound} passes, then removes them. Completes in INITIALIZE.
   */
  CompletableFuture<Void> shutdown(Duration bound) {
    if (phase == Phase.HANDING_OVER) {
      return handoverDone;
    }
    phase = Phase.IDLE;
    masterDownTimer.disarm();
    garpRefreshTimer.disarm();
    vipRetryTimer.disarm();
    if (state == VrrpState.MASTER) {
      adverTimer.disarm();
      send(stopAdverts);
      phase = Phase.HANDING_OVER;
      handoverDone = new CompletableFuture<>();
      handoverTimer.arm(bound.toNanos());
      log.info(
          "event=vrrp_handover instance={} sent=priority-0 bound_ms={}",
          config.name(),
          bound.toMillis());
      return handoverDone;
    }
    adverTimer.disarm();
    if (state != VrrpState.INITIALIZE) {
      transition(VrrpState.INITIALIZE, "shutdown");
    }
    return CompletableFuture.completedFuture(null);
  }

  /** Stops dead, as a crash would: no advert, no effects (the host keeps what it has). */
  void abandon() {
    if (phase == Phase.RUNNING) {
      phase = Phase.IDLE;
    }
    masterDownTimer.disarm();
    adverTimer.disarm();
    handoverTimer.disarm();
    garpRefreshTimer.disarm();
    vipRetryTimer.disarm();
    vipRenewalTimer.disarm();
  }

  private void finishHandover(String reason) {
    if (phase != Phase.HANDING_OVER || state != VrrpState.MASTER) {
      return;
    }
    handoverTimer.disarm();
    effects.onLeaveMaster(config);
    transition(VrrpState.INITIALIZE, reason);
    phase = Phase.IDLE;
    handoverDone.complete(null);
  }

  /**
   * A tracked interface went down/up or the data plane became (un)ready.
   *
   * @param cause {@code link-down} or {@code data-plane-unready}; null: no fault
   */
  void setFault(String cause) {
    boolean fault = cause != null;
    faultCause = cause;
    if (linkFault == fault) {
      return;
    }
    linkFault = fault;
    refreshFault();
  }

  /** The reason a transition into FAULT gives: the instance's own cause, or its sync group's. */
  private String faultReason() {
    if (vipFault) {
      return "vip-add-failed";
    }
    return linkFault ? faultCause : "sync-group-fault";
  }

  private void refreshFault() {
    if (syncGroup != null) {
      syncGroup.refreshFault();
    } else {
      applyFault();
    }
  }

  private boolean faulted() {
    return ownFault() || (syncGroup != null && syncGroup.anyMemberFaulted());
  }

  /** Makes the state agree with the fault condition (own or the sync group's). */
  void applyFault() {
    if (phase != Phase.RUNNING) {
      return;
    }
    boolean fault = faulted();
    if (fault && state != VrrpState.FAULT) {
      if (state == VrrpState.MASTER) {
        // Best effort: with the link down this cannot leave, with the data plane down it can.
        send(stopAdverts);
        adverTimer.disarm();
        effects.onLeaveMaster(config);
      }
      masterDownTimer.disarm();
      transition(VrrpState.FAULT, faultReason());
    } else if (!fault && state == VrrpState.FAULT) {
      startup("fault-cleared");
    }
  }

  /**
   * An advert that passed every receive check.
   *
   * @param sourceVsPrimary the sign of comparing the sender's address with our primary address
   */
  void onAdvert(int priority, int intervalCentis, int sourceVsPrimary) {
    if (phase == Phase.HANDING_OVER) {
      if (priority != VrrpConstants.PRIORITY_STOP) {
        finishHandover("new-master-heard");
      }
      return;
    }
    if (phase != Phase.RUNNING) {
      return;
    }
    switch (state) {
      case BACKUP -> backupHeard(priority, intervalCentis);
      case MASTER -> masterHeard(priority, intervalCentis, sourceVsPrimary);
      case INITIALIZE, FAULT -> {}
    }
  }

  private void backupHeard(int priority, int intervalCentis) {
    if (priority == VrrpConstants.PRIORITY_STOP) {
      // The master is stopping: take over after Skew_Time only.
      lastMasterAdvertNanos = loop.nanoTime();
      masterStopping = true;
      masterDownTimer.arm(skewTimeNanos());
      return;
    }
    boolean delayingPreemption =
        loop.nanoTime() - backupSinceNanos < config.preemptDelay().toNanos();
    if (!config.preempt() || priority >= config.priority() || delayingPreemption) {
      lastMasterAdvertNanos = loop.nanoTime();
      masterStopping = false;
      learnInterval(intervalCentis);
      masterDownTimer.arm(masterDownIntervalNanos());
    }
    // Otherwise a lower-priority master: ignore it, Master_Down_Timer will make us preempt.
  }

  private void masterHeard(int priority, int intervalCentis, int sourceVsPrimary) {
    if (priority == VrrpConstants.PRIORITY_STOP) {
      // Another master stopping: advertise now so backups do not take over.
      send(adverts);
      adverTimer.arm(config.advertIntervalNanos());
      return;
    }
    if (priority > config.priority() || (priority == config.priority() && sourceVsPrimary > 0)) {
      adverTimer.disarm();
      effects.onLeaveMaster(config);
      enterBackup(
          priority > config.priority() ? "higher-priority-advert" : "higher-address-advert");
      learnInterval(intervalCentis);
      masterDownTimer.arm(masterDownIntervalNanos());
    } else {
      rivalHeard(priority);
    }
  }

  /**
   * A lower-priority router is master too (it missed our adverts for a moment: a stall, a lossy
   * link). RFC 5798 discards its advert; keepalived answers it with an advert at once (unless
   * lower_prio_no_advert), so that the rival backs off now, not an interval later. We do that and
   * also send our gratuitous ARPs again (keepalived's garp_lower_prio_repeat): the rival's GARPs
   * pulled the neighbours to its MAC, and it drops the VIP when it hears us, so without ours they
   * would send the VIP's traffic to a host that no longer has it until their ARP entries age out.
   * At most once a second, so a flood of such adverts gets no more than that.
   */
  private void rivalHeard(int priority) {
    long now = loop.nanoTime();
    if (lastRivalAnswerNanos >= 0 && now - lastRivalAnswerNanos < 1_000_000_000L) {
      return;
    }
    lastRivalAnswerNanos = now;
    log.warn(
        "event=vrrp_rival_master instance={} rival_priority={} priority={} answer=advert+garp",
        config.name(),
        priority,
        config.priority());
    send(adverts);
    adverTimer.arm(config.advertIntervalNanos());
    effects.announce(config);
  }

  /**
   * v3: adopts the master's advert interval as Master_Adver_Interval (RFC 5798 6.4.2), at most our
   * own configured interval. Unbounded, one forged advert of 40.95 s made every backup wait 3 x
   * 40.95 s before taking over; bounded, the VIP is back within our own Master_Down_Interval after
   * the last advert heard. Every new interval heard, and what was adopted of it, is logged.
   */
  private void learnInterval(int intervalCentis) {
    if (config.version() != VrrpVersion.V3) {
      return;
    }
    int learned = Math.min(intervalCentis, config.advertIntervalCentis());
    if (learned != masterAdverIntervalCentis || intervalCentis != heardIntervalCentis) {
      heardIntervalCentis = intervalCentis;
      log.info(
          "event=vrrp_interval_learned instance={} advertised_ms={} learned_ms={} previous_ms={}"
              + " max_ms={}",
          config.name(),
          intervalCentis * 10,
          learned * 10,
          masterAdverIntervalCentis * 10,
          config.advertIntervalCentis() * 10);
      masterAdverIntervalCentis = learned;
    }
  }

  private void onMasterDownTimer() {
    if (phase == Phase.RUNNING && state == VrrpState.BACKUP) {
      // master-stopped: it sent priority 0 (a graceful handover); master-down-timer: silence
      // (dead, partitioned, or never heard since this router started).
      becomeMaster(masterStopping ? "master-stopped" : "master-down-timer");
    }
  }

  private void onAdverTimer() {
    if (phase == Phase.RUNNING && state == VrrpState.MASTER) {
      send(adverts);
      adverTimer.arm(config.advertIntervalNanos());
    }
  }

  // ---- sync group ----

  /** A sync group member became master: follow it if we are backup. */
  void forceMaster() {
    if (phase == Phase.RUNNING && state == VrrpState.BACKUP) {
      becomeMaster("sync-group");
    }
  }

  /** A sync group member fell back to backup: follow it if we are master. */
  void forceBackup() {
    if (phase == Phase.RUNNING && state == VrrpState.MASTER) {
      adverTimer.disarm();
      effects.onLeaveMaster(config);
      enterBackup("sync-group");
      masterDownTimer.arm(masterDownIntervalNanos());
    }
  }

  // ---- reconfiguration ----

  /** Applies a new configuration of the same interface, VRID and version without a restart. */
  void reconfigure(VrrpInstanceConfig next) {
    if (!config.sameWireIdentity(next)) {
      throw new IllegalArgumentException(
          "reconfigure: " + next.name() + " changes interface, VRID or version; restart it");
    }
    VrrpInstanceConfig before = config;
    config = next;
    encodeAdverts();
    if (before.advertIntervalCentis() != next.advertIntervalCentis()) {
      masterAdverIntervalCentis = next.advertIntervalCentis();
    }
    if (state == VrrpState.MASTER && !before.heldAddresses().equals(next.heldAddresses())) {
      if (effects.onAddressesChanged(before, next)) {
        armVipRenewal(); // the new list may need renewals the old one did not (or none)
        effects.announce(next);
      } else {
        vipAddFailed(); // leaves MASTER with a priority-0 advert, see applyFault
        return;
      }
    }
    if (state == VrrpState.MASTER && !before.garp().refresh().equals(next.garp().refresh())) {
      armGarpRefresh();
    }
    if (state == VrrpState.MASTER && before.priority() != next.priority()) {
      // Tell the others at once, so a higher backup preempts without waiting an interval.
      send(adverts);
      adverTimer.arm(config.advertIntervalNanos());
    }
  }

  /** The interface's primary address changed: re-encode (v3 checksums cover it). */
  void primaryAddressChanged() {
    encodeAdverts();
  }

  // ---- transitions ----

  private void becomeBackup(String reason) {
    masterAdverIntervalCentis = config.advertIntervalCentis();
    enterBackup(reason);
    masterDownTimer.arm(masterDownIntervalNanos());
  }

  private void enterBackup(String reason) {
    backupSinceNanos = loop.nanoTime();
    lastMasterAdvertNanos = -1;
    masterStopping = false;
    transition(VrrpState.BACKUP, reason);
  }

  private void becomeMaster(String reason) {
    masterDownTimer.disarm();
    // VIPs before the advert (RFC 5798 orders them the other way): a master we preempt drops its
    // VIPs on hearing us, and by then ours must already be up - make-before-break. GARPs after
    // the advert, so that the two holders overlap for the time of one netlink request only.
    if (!effects.onBecomeMaster(config)) {
      vipAddFailed();
      return;
    }
    vipFailures = 0;
    // Failover duration: from the last advert of the master we replace to our VIPs being up.
    long failoverNanos =
        state == VrrpState.BACKUP && lastMasterAdvertNanos >= 0 && reason.startsWith("master-")
            ? loop.nanoTime() - lastMasterAdvertNanos
            : -1;
    armVipRenewal();
    send(adverts);
    adverTimer.arm(config.advertIntervalNanos());
    transition(VrrpState.MASTER, reason, failoverNanos);
    effects.announce(config);
    armGarpRefresh();
  }

  /**
   * A VIP could not be added: no advert (it would attract traffic we cannot take), whatever was
   * added is removed, and the instance stays in FAULT for 1 s, then 2, 4 ... up to 30 s between
   * attempts, so the other directors keep or take the VIP meanwhile.
   */
  private void vipAddFailed() {
    effects.onLeaveMaster(config);
    vipFailures++;
    long retryNanos = Math.min(30_000_000_000L, 1_000_000_000L << Math.min(vipFailures - 1, 5));
    log.warn(
        "event=vip_add_failed instance={} attempt={} retry_in_ms={}",
        config.name(),
        vipFailures,
        retryNanos / 1_000_000);
    vipFault = true;
    vipRetryTimer.arm(retryNanos);
    refreshFault();
  }

  private void onVipRetryTimer() {
    if (vipFault) {
      vipFault = false;
      refreshFault();
    }
  }

  private void armGarpRefresh() {
    Duration refresh = config.garp().refresh();
    if (refresh.isPositive()) {
      garpRefreshTimer.arm(refresh.toNanos());
    } else {
      garpRefreshTimer.disarm();
    }
  }

  private void armVipRenewal() {
    Duration every = effects.addressRenewalInterval(config);
    if (every.isPositive()) {
      vipRenewalTimer.arm(every.toNanos());
    }
  }

  // While master, also while handing over (the VIPs are kept until the new master is heard).
  private void onVipRenewalTimer() {
    if (phase != Phase.IDLE && state == VrrpState.MASTER) {
      effects.renewAddresses(config);
      armVipRenewal();
    }
  }

  private void onGarpRefreshTimer() {
    if (phase == Phase.RUNNING && state == VrrpState.MASTER) {
      effects.refresh(config);
      armGarpRefresh();
    }
  }

  private void transition(VrrpState to, String reason) {
    transition(to, reason, -1);
  }

  private void transition(VrrpState to, String reason, long failoverNanos) {
    VrrpState from = state;
    if (from == to) {
      return;
    }
    state = to;
    if (from == VrrpState.MASTER) {
      garpRefreshTimer.disarm();
      vipRenewalTimer.disarm();
    }
    if (failoverNanos >= 0) {
      log.info(
          "event=vrrp_transition instance={} vrid={} from={} to={} reason={} priority={}"
              + " failover_ms={}",
          config.name(),
          config.virtualRouterId(),
          from,
          to,
          reason,
          config.priority(),
          String.format(java.util.Locale.ROOT, "%.1f", failoverNanos / 1e6));
    } else {
      log.info(
          "event=vrrp_transition instance={} vrid={} from={} to={} reason={} priority={}",
          config.name(),
          config.virtualRouterId(),
          from,
          to,
          reason,
          config.priority());
    }
    listener.onTransition(
        new VrrpTransition(config.name(), from, to, reason, loop.nanoTime(), failoverNanos));
    if (syncGroup != null && !reason.equals("sync-group")) {
      syncGroup.memberChanged(this, to);
    }
  }

  // ---- sending ----

  private void encodeAdverts() {
    byte[] source = transport.primaryAddress();
    encodedSource = source;
    List<byte[]> dests =
        config.unicastPeers().isEmpty()
            ? List.of(VrrpConstants.IPV4_MULTICAST_GROUP)
            : config.unicastPeers().stream().map(a -> a.getAddress()).toList();
    VrrpAdvertisement advert = config.advertisement();
    VrrpAdvertisement stop = advert.withPriority(VrrpConstants.PRIORITY_STOP);
    destinations = dests.toArray(byte[][]::new);
    adverts = new byte[destinations.length][];
    stopAdverts = new byte[destinations.length][];
    for (int i = 0; i < destinations.length; i++) {
      adverts[i] = VrrpCodec.encode(advert, source, destinations[i]);
      stopAdverts[i] = VrrpCodec.encode(stop, source, destinations[i]);
    }
    advertLength = advert.encodedLength();
  }

  private void send(byte[][] packets) {
    byte[] source = transport.primaryAddress();
    if (source != encodedSource && !java.util.Arrays.equals(source, encodedSource)) {
      // The v3 checksum covers the source: re-encode for the new primary address.
      boolean stop = packets == stopAdverts;
      encodeAdverts();
      packets = stop ? stopAdverts : adverts;
    }
    for (int i = 0; i < destinations.length; i++) {
      try {
        transport.send(destinations[i], packets[i], advertLength);
        advertsSent++;
      } catch (IOException | RuntimeException e) {
        sendErrors++;
        if (sendErrors < 10 || sendErrors % 1000 == 0) {
          log.warn(
              "event=vrrp_send_failed instance={} interface={} errors={} error=\"{}\"",
              config.name(),
              config.interfaceName(),
              sendErrors,
              e.toString());
        }
      }
    }
  }
}
