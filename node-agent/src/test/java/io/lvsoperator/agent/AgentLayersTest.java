package io.lvsoperator.agent;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The agent's layers, checked on its compiled classes: process wiring ({@code process}) on top, the
 * pure node core ({@code node}) and protocol packages ({@code vrrp}, {@code ipvs}, {@code health})
 * in the middle (the protocol packages on their own records, converted from the API's {@code
 * LvsNodeSpec} by the node core), host adapters ({@code host.*}: FFM, netlink, rtnetlink, raw
 * sockets, the kernel's IPVS) beside them. A pure package that imports a host adapter, {@code
 * java.lang.foreign} or Fabric8 fails the build here.
 */
class AgentLayersTest {

  private static final String[] PURE = {
    "io.lvsoperator.agent.node..",
    "io.lvsoperator.agent.nodeconfig..",
    "io.lvsoperator.agent.scheduling..",
    "io.lvsoperator.agent.statefile..",
    "io.lvsoperator.agent.vrrp..",
    "io.lvsoperator.agent.ipvs..",
    "io.lvsoperator.agent.health.."
  };

  private static final JavaClasses AGENT =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.lvsoperator.agent");

  @Test
  void purePackagesNeverReachHostAdaptersForeignMemoryOrFabric8() {
    noClasses()
        .that()
        .resideInAnyPackage(PURE)
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.lvsoperator.agent.host..",
            "io.lvsoperator.agent.process..",
            "java.lang.foreign..",
            "io.fabric8..")
        .because("the node core and the protocol packages are pure: host adapters plug into them")
        .check(AGENT);
  }

  @Test
  void protocolPackagesSpeakTheirOwnRecords() {
    noClasses()
        .that()
        .resideInAnyPackage(
            "io.lvsoperator.agent.vrrp..",
            "io.lvsoperator.agent.ipvs..",
            "io.lvsoperator.agent.health..",
            "io.lvsoperator.agent.scheduling..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.lvsoperator.api..", "io.lvsoperator.compiler..")
        .because("the node core converts LvsNodeSpec into their records once, at the edge")
        .check(AGENT);
  }

  @Test
  void onlyTheFfmPackageTouchesForeignMemory() {
    noClasses()
        .that()
        .resideOutsideOfPackage("io.lvsoperator.agent.host.ffm..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("java.lang.foreign..")
        .because("every downcall and errno capture lives in one package")
        .check(AGENT);
  }

  @Test
  void onlyTheProcessWiringTalksToKubernetes() {
    noClasses()
        .that()
        .resideOutsideOfPackage("io.lvsoperator.agent.process..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.fabric8..")
        .check(AGENT);
  }

  @Test
  void nothingBelowTheProcessWiringDependsOnIt() {
    noClasses()
        .that()
        .resideOutsideOfPackage("io.lvsoperator.agent.process..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.lvsoperator.agent.process..")
        .check(AGENT);
  }
}
