package io.lvsoperator.agent.host.ipvs;

import io.lvsoperator.agent.ipvs.IpvsClient;
import java.nio.file.Path;

/** {@link KernelIpvsProgrammer} over any {@link IpvsClient}, e.g. an in-memory table. */
public final class TestingKernelIpvs {
  private TestingKernelIpvs() {}

  public static KernelIpvsProgrammer over(Path stateDir, IpvsClient client) {
    return new KernelIpvsProgrammer(
        stateDir,
        new KernelIpvsProgrammer.ClientSource() {
          @Override
          public boolean available() {
            return true;
          }

          @Override
          public IpvsClient open() {
            return client;
          }
        });
  }
}
