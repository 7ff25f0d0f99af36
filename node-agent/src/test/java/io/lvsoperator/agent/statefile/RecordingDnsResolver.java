package io.lvsoperator.agent.statefile;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.spi.InetAddressResolver;
import java.net.spi.InetAddressResolverProvider;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

/**
 * The JVM's resolver for the node agent's tests (registered in META-INF/services): the built-in
 * one, with every name it is asked to look up recorded, so a test can show that a state file's
 * address was never sent to DNS.
 */
public final class RecordingDnsResolver extends InetAddressResolverProvider {
  private static final List<String> LOOKUPS = new CopyOnWriteArrayList<>();

  /** Every host name looked up in this JVM so far. */
  public static List<String> lookups() {
    return List.copyOf(LOOKUPS);
  }

  @Override
  public InetAddressResolver get(Configuration configuration) {
    InetAddressResolver builtin = configuration.builtinResolver();
    return new InetAddressResolver() {
      @Override
      public Stream<InetAddress> lookupByName(String host, LookupPolicy policy)
          throws UnknownHostException {
        LOOKUPS.add(host);
        return builtin.lookupByName(host, policy);
      }

      @Override
      public String lookupByAddress(byte[] addr) throws UnknownHostException {
        return builtin.lookupByAddress(addr);
      }
    };
  }

  @Override
  public String name() {
    return "recording";
  }
}
