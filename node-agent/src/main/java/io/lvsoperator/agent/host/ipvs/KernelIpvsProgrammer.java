package io.lvsoperator.agent.host.ipvs;

import io.lvsoperator.agent.ipvs.IpvsClient;
import io.lvsoperator.agent.ipvs.IpvsServiceKey;
import io.lvsoperator.agent.ipvs.IpvsSync;
import io.lvsoperator.agent.ipvs.OwnedServices;
import io.lvsoperator.agent.node.DesiredServices;
import io.lvsoperator.agent.node.IpvsProgrammer;
import io.lvsoperator.api.v1alpha1.LvsNodeSpec.IpvsService;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Programs the kernel's IPVS table over generic netlink. Opens the IPVS family on first use, so a
 * node that only holds VIPs (or only serves as a DR real server) runs on a kernel without IPVS.
 */
public final class KernelIpvsProgrammer implements IpvsProgrammer, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KernelIpvsProgrammer.class);

  private final Path ownedFile;
  private final ClientSource source;
  private IpvsSync sync;
  private IpvsClient client;

  /** Where the IPVS client comes from: the kernel's generic netlink family, a fake in tests. */
  interface ClientSource {
    boolean available();

    IpvsClient open() throws IOException;

    ClientSource KERNEL =
        new ClientSource() {
          @Override
          public boolean available() {
            return GenlIpvsClient.isAvailable();
          }

          @Override
          public IpvsClient open() throws IOException {
            return GenlIpvsClient.open();
          }
        };
  }

  public KernelIpvsProgrammer(Path stateDir) {
    this(stateDir, ClientSource.KERNEL);
  }

  KernelIpvsProgrammer(Path stateDir, ClientSource source) {
    this.ownedFile = stateDir.resolve("ipvs-owned-services");
    this.source = source;
  }

  @Override
  public synchronized Outcome program(long generation, List<IpvsService> services) {
    try {
      if (sync == null) {
        if (services.isEmpty() && !java.nio.file.Files.exists(ownedFile)) {
          return Outcome.DONE; // nothing to do, nothing owned: do not require IPVS
        }
        if (!source.available()) {
          return Outcome.allFailed(
              services,
              "ipvs: the kernel has no IPVS (generic netlink family IPVS not found; modprobe"
                  + " ip_vs)");
        }
        client = source.open();
        sync = new IpvsSync(client, OwnedServices.load(ownedFile));
      }
      // One bad service is reported and skipped; the rest is programmed. A rejected service that
      // is already in the kernel keeps running as it is.
      var parsed = DesiredServices.parse(services, DesiredServices.WeightPolicy.CONFIGURED);
      var result = sync.sync(generation, parsed.states(), parsed.rejectedKeys());
      List<String> errors = new ArrayList<>();
      Set<String> failedInstances = new HashSet<>();
      for (DesiredServices.Rejected r : parsed.rejected()) {
        errors.add("ipvs: " + r.error());
        addInstance(failedInstances, services.get(r.index()));
      }
      Map<IpvsServiceKey, IpvsService> byKey = new HashMap<>();
      for (int i = 0; i < parsed.states().size(); i++) {
        byKey.put(parsed.states().get(i).key(), services.get(parsed.indexes().get(i)));
      }
      for (var f : result.failed()) {
        errors.add("ipvs: " + f.operation() + ": " + f.error());
        addInstance(failedInstances, byKey.get(f.operation().serviceKey()));
      }
      return new Outcome(errors, failedInstances, true);
    } catch (IOException | RuntimeException e) {
      return Outcome.allFailed(services, "ipvs: " + e.getMessage());
    }
  }

  private static void addInstance(Set<String> instances, IpvsService service) {
    if (service != null && service.vrrpInstance() != null) {
      instances.add(service.vrrpInstance());
    }
  }

  /**
   * Only the changed services' destinations, from what the syncs programmed (no dump of every owned
   * service); a full sync when that is not known or an operation fails.
   */
  @Override
  public synchronized Outcome programHealthChange(
      long generation, List<IpvsService> all, List<IpvsService> changed) {
    return incrementally(
        generation,
        all,
        "ipvs_update",
        "services=" + changed.size(),
        () ->
            why(
                sync.update(
                    generation,
                    DesiredServices.from(changed, DesiredServices.WeightPolicy.CONFIGURED))));
  }

  /**
   * Only the services a config change added, edited or removed, from what the syncs programmed (no
   * dump); a full sync when a service is rejected, its state is not known, or an operation fails.
   */
  @Override
  public synchronized Outcome programChange(
      long generation, List<IpvsService> all, List<IpvsService> gone, List<IpvsService> came) {
    return incrementally(
        generation,
        all,
        "ipvs_change",
        "services_changed=" + came.size() + " services_gone=" + gone.size(),
        () -> {
          var cameParsed = DesiredServices.parse(came, DesiredServices.WeightPolicy.CONFIGURED);
          var goneParsed = DesiredServices.parse(gone, DesiredServices.WeightPolicy.CONFIGURED);
          if (!cameParsed.rejected().isEmpty() || !goneParsed.rejected().isEmpty()) {
            return "a changed service is rejected";
          }
          Set<IpvsServiceKey> removed = new HashSet<>();
          goneParsed.states().forEach(s -> removed.add(s.key()));
          cameParsed.states().forEach(s -> removed.remove(s.key()));
          return why(sync.apply(generation, cameParsed.states(), removed));
        });
  }

  /** One step of an incremental path: null when it went through, else why not. */
  private interface Step {
    String run() throws IOException;
  }

  /** {@code step}, or a full sync (logged as {@code event=<what>_fallback}) when it cannot. */
  private Outcome incrementally(
      long generation, List<IpvsService> all, String what, String detail, Step step) {
    if (sync == null) {
      return program(generation, all);
    }
    String why;
    try {
      why = step.run();
      if (why == null) {
        return new Outcome(List.of(), Set.of(), false);
      }
    } catch (IOException | RuntimeException e) {
      why = e.toString();
    }
    LOG.warn("event={}_fallback {} reason=\"{}\" action=full_sync", what, detail, why);
    return program(generation, all);
  }

  private static String why(Optional<IpvsSync.SyncResult> result) {
    if (result.isEmpty()) {
      return "state of a changed service unknown";
    }
    return result.get().complete() ? null : result.get().failed().size() + " operation(s) failed";
  }

  /** Removes every IPVS service this agent owns (uninstall). */
  public synchronized List<String> cleanup() {
    try {
      if (!source.available()) {
        return List.of();
      }
      if (sync == null) {
        client = source.open();
        sync = new IpvsSync(client, OwnedServices.load(ownedFile));
      }
      var result = sync.cleanup();
      return result.failed().stream()
          .map(f -> "ipvs: " + f.operation() + ": " + f.error())
          .toList();
    } catch (IOException | RuntimeException e) {
      return List.of("ipvs: " + e.getMessage());
    }
  }

  @Override
  public synchronized void close() throws IOException {
    if (client != null) {
      client.close();
    }
  }
}
