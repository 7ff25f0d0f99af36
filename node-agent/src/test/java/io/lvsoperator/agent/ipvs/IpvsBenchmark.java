package io.lvsoperator.agent.ipvs;

import io.lvsoperator.agent.host.ipvs.GenlIpvsClient;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Prints how long IPVS programming takes, ours against ipvsadm. Not a test (the build never runs
 * it); run it as root on a kernel with IPVS, i.e. in the lab:
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -cp ... io.lvsoperator.agent.ipvs.IpvsBenchmark [services] [destinations]
 * </pre>
 *
 * Figures: a sync from empty (services x destinations), one destination weight change, a no-op
 * sync, and the cleanup; then (after the kernel's destination trash has drained) ipvsadm-restore of
 * the same table from empty, one {@code ipvsadm -e} weight change, and {@code ipvsadm -R} of the
 * deletions. Uses 10.200.0.0/16 (VIPs) and 10.201.0.0/16 (real servers) and removes what it made,
 * one service at a time.
 */
public final class IpvsBenchmark {
  private IpvsBenchmark() {}

  public static void main(String[] args) throws Exception {
    int services = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    int destinations = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    long heapBefore = heapUsedAfterGc();
    List<IpvsServiceState> desired = table(services, destinations, 1);
    long heapDesired = heapUsedAfterGc();
    Path work = Files.createTempDirectory("ipvs-bench");
    System.out.printf(
        "bench=setup services=%d destinations_per_service=%d entries=%d%n",
        services, destinations, services * (1 + destinations));

    try (GenlIpvsClient client = GenlIpvsClient.open()) {
      IpvsSync sync = new IpvsSync(client, OwnedServices.load(work.resolve("owned")));
      warmUp(client, work);

      long t0 = System.nanoTime();
      IpvsSync.SyncResult fromEmpty = sync.sync(1, desired);
      report("lvs_sync_from_empty", t0, fromEmpty.planned(), fromEmpty.failed().size());
      // The desired table as records (HealthIpvsBenchmark measures what the agent keeps in all).
      System.out.printf(
          "bench=memory desired_table_bytes=%d per_service_bytes=%d%n",
          heapDesired - heapBefore, (heapDesired - heapBefore) / services);

      List<IpvsServiceState> oneChange = new ArrayList<>(desired);
      IpvsServiceState middle = desired.get(services / 2);
      List<IpvsDestination> dests = new ArrayList<>(middle.destinations());
      dests.set(0, dests.get(0).withWeight(2));
      oneChange.set(services / 2, new IpvsServiceState(middle.service(), dests));
      t0 = System.nanoTime();
      IpvsSync.SyncResult change = sync.sync(2, oneChange);
      report("lvs_sync_one_weight_change", t0, change.planned(), change.failed().size());

      t0 = System.nanoTime();
      IpvsSync.SyncResult noop = sync.sync(2, oneChange);
      report("lvs_sync_no_change", t0, noop.planned(), noop.failed().size());

      // What a health-check verdict costs when applied directly, without a full diff.
      IpvsDestination first = middle.destinations().getFirst();
      t0 = System.nanoTime();
      client.editDestination(middle.key(), first.withWeight(3));
      report("lvs_client_one_weight_change", t0, 1, 0);
      client.editDestination(middle.key(), first.withWeight(2));

      t0 = System.nanoTime();
      List<IpvsService> dumped = client.services();
      report("lvs_dump_services_only", t0, dumped.size(), 0);

      t0 = System.nanoTime();
      IpvsSync.SyncResult cleanup = sync.cleanup();
      report("lvs_cleanup", t0, cleanup.planned(), cleanup.failed().size());
    }

    Path restore = work.resolve("restore.txt");
    Path delete = work.resolve("delete.txt");
    List<String> add = new ArrayList<>();
    List<String> del = new ArrayList<>();
    for (IpvsServiceState s : desired) {
      String vip = s.key().address().getHostAddress() + ":" + s.key().port();
      add.add("-A -t " + vip + " -s " + s.service().scheduler());
      for (IpvsDestination d : s.destinations()) {
        add.add(
            "-a -t "
                + vip
                + " -r "
                + d.address().getHostAddress()
                + ":"
                + d.port()
                + " -g -w "
                + d.weight());
      }
      del.add("-D -t " + vip);
    }
    Files.write(restore, add, StandardCharsets.US_ASCII);
    Files.write(delete, del, StandardCharsets.US_ASCII);

    // The kernel keeps deleted destinations in a trash list for 2 to 4 minutes
    // (IP_VS_DEST_TRASH_PERIOD) and every destination add walks that whole list: right after our
    // cleanup, ipvsadm-restore would pay for our deletions (docs/benchmarks.md). Wait until it has
    // drained.
    int drainSeconds = Integer.getInteger("bench.trashDrainSeconds", 250);
    System.out.printf("bench=wait_for_destination_trash seconds=%d%n", drainSeconds);
    Thread.sleep(drainSeconds * 1000L);

    long t0 = System.nanoTime();
    run(List.of("ipvsadm-restore"), restore);
    report("ipvsadm_restore_from_empty", t0, add.size(), 0);

    IpvsServiceState middle = desired.get(services / 2);
    IpvsDestination d0 = middle.destinations().getFirst();
    t0 = System.nanoTime();
    run(
        List.of(
            "ipvsadm",
            "-e",
            "-t",
            middle.key().address().getHostAddress() + ":" + middle.key().port(),
            "-r",
            d0.address().getHostAddress() + ":" + d0.port(),
            "-g",
            "-w",
            "2"),
        null);
    report("ipvsadm_one_weight_change", t0, 1, 0);

    t0 = System.nanoTime();
    run(List.of("ipvsadm-save", "-n"), null);
    report("ipvsadm_save", t0, 0, 0);

    // ipvsadm -R, not ipvsadm-restore: the script runs "ipvsadm -C" (a flush of the whole table,
    // every service of anyone) before it reads its input, so its deletes would all fail.
    t0 = System.nanoTime();
    try {
      run(List.of("ipvsadm", "-R"), delete);
      report("ipvsadm_R_deletes", t0, del.size(), 0);
    } catch (IOException e) {
      System.out.printf("bench=ipvsadm_R_deletes error=\"%s\"%n", e.getMessage());
    }
    // Whatever is left of ours goes, one service at a time (never a flush).
    try (GenlIpvsClient client = GenlIpvsClient.open()) {
      for (IpvsService s : client.services()) {
        if (!s.key().isFwmark() && s.key().address().getHostAddress().startsWith("10.200.")) {
          client.deleteService(s.key());
        }
      }
    }
  }

  // One small service through every path, so the JIT and the kernel's scheduler modules are warm.
  private static void warmUp(GenlIpvsClient client, Path work) throws IOException {
    IpvsSync warm = new IpvsSync(client, OwnedServices.load(work.resolve("warm")));
    warm.sync(0, table(50, 2, 254));
    warm.cleanup();
  }

  static List<IpvsServiceState> table(int services, int destinations, int thirdOctetBase)
      throws IOException {
    List<IpvsServiceState> out = new ArrayList<>(services);
    for (int i = 0; i < services; i++) {
      InetAddress vip =
          InetAddress.getByAddress(new byte[] {10, (byte) 200, (byte) (i >> 8), (byte) i});
      List<IpvsDestination> dests = new ArrayList<>(destinations);
      for (int j = 0; j < destinations; j++) {
        InetAddress rs =
            InetAddress.getByAddress(new byte[] {10, (byte) 201, (byte) j, (byte) (i % 250 + 1)});
        dests.add(IpvsDestination.of(rs, 80 + (i / 250), ForwardingMethod.DROUTE, 1));
      }
      out.add(
          new IpvsServiceState(
              IpvsService.of(
                  IpvsServiceKey.of(IpvsProtocol.TCP, vip, thirdOctetBase == 254 ? 81 : 80), "rr"),
              dests));
    }
    return out;
  }

  private static void run(List<String> command, Path stdin)
      throws IOException, InterruptedException {
    Path output = Files.createTempFile("ipvs-bench", ".out");
    ProcessBuilder pb =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.to(output.toFile()));
    if (stdin != null) {
      pb.redirectInput(stdin.toFile());
    }
    Process p = pb.start();
    if (!p.waitFor(3, TimeUnit.HOURS) || p.exitValue() != 0) {
      List<String> lines = Files.readAllLines(output);
      throw new IOException(
          String.join(" ", command)
              + " failed (exit "
              + p.exitValue()
              + "): "
              + String.join(" | ", lines.subList(Math.max(0, lines.size() - 3), lines.size())));
    }
    Files.delete(output);
  }

  // Heap in use after full collections (SerialGC in the lab: System.gc() is a full GC): a rough
  // measure of what a structure retains, good to a few hundred KB.
  private static long heapUsedAfterGc() {
    Runtime runtime = Runtime.getRuntime();
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return runtime.totalMemory() - runtime.freeMemory();
  }

  private static void report(String bench, long startNanos, int operations, int failed) {
    double ms = (System.nanoTime() - startNanos) / 1e6;
    System.out.printf("bench=%s ms=%.1f operations=%d failed=%d%n", bench, ms, operations, failed);
  }
}
