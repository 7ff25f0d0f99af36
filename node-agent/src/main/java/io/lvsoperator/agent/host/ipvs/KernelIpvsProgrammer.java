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
    if (sync == null) {
      return program(generation, all);
    }
    String why;
    try {
      Optional<IpvsSync.SyncResult> result =
          sync.update(
              generation, DesiredServices.from(changed, DesiredServices.WeightPolicy.CONFIGURED));
      if (result.isPresent() && result.get().complete()) {
        return new Outcome(List.of(), Set.of(), false);
      }
      why =
          result.isEmpty()
              ? "state of a changed service unknown"
              : result.get().failed().size() + " operation(s) failed";
    } catch (IOException | RuntimeException e) {
      why = e.toString();
    }
    LOG.warn(
        "event=ipvs_update_fallback services={} reason=\"{}\" action=full_sync",
        changed.size(),
        why);
    return program(generation, all);
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
