package io.lvsoperator.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The build's door into the kernel lab: with {@code -Plab} it runs {@code lab/run test}, which
 * boots a kernel with IPVS under QEMU and runs every {@code *LabTest} there, then reads the JUnit
 * reports the guest wrote. Without {@code -Plab}, or when the lab cannot run here (not root, no
 * QEMU and no apt), it is skipped and says why; with {@code -Dlab.required=true} (CI) those become
 * failures.
 */
class KernelLabIT {

  private static final long TIMEOUT_MINUTES = 20;

  @Test
  void labTestsPassInTheKernelLab() throws Exception {
    assumeTrue(
        Boolean.getBoolean("lab.enabled"),
        "kernel lab not requested: run `./mvnw -Plab verify` or `lab/run test`");
    requireOrSkip(isRoot(), "the kernel lab needs root");
    requireOrSkip(
        onPath("qemu-system-x86_64") || onPath("apt-get"),
        "the kernel lab needs qemu-system-x86_64, or apt-get to install it");

    Path labHome = Path.of(System.getProperty("lab.home")).toRealPath();
    Path out = labHome.resolve("out/test");
    ProcessBuilder lab = new ProcessBuilder(labHome.resolve("run").toString(), "test").inheritIO();
    // Maven has just built node-agent with -Plab; the lab must not build it again.
    lab.environment().put("LAB_SKIP_BUILD", "1");
    lab.environment().put("LAB_OUT", out.toString());
    Process process = lab.start();
    if (!process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
      process.destroy();
      fail("lab/run test still running after " + TIMEOUT_MINUTES + " min");
    }

    Totals totals = readReports(out.resolve("reports"));
    assertThat(totals.failed()).as("failed lab tests (reports in %s)", out).isZero();
    assertThat(totals.tests() - totals.skipped()).as("lab tests that ran").isPositive();
    if (required()) {
      // In CI every lab test must run: a lab test that skips (no IPVS family, no ipvsadm in the
      // guest) would let IPVS go untested while the build stays green.
      assertThat(totals.skipped()).as("skipped lab tests (reports in %s)", out).isZero();
    }
    assertThat(process.exitValue()).as("lab/run test exit code").isZero();
  }

  private static void requireOrSkip(boolean condition, String why) {
    // In CI (CI=true) the lab must run: a skipped lab there would hide that IPVS went untested.
    if (!condition && required()) {
      fail(why + " (lab.required or CI=true is set)");
    }
    assumeTrue(condition, why);
  }

  private static boolean required() {
    return Boolean.getBoolean("lab.required") || "true".equals(System.getenv("CI"));
  }

  private static boolean isRoot() throws IOException {
    return Files.readAllLines(Path.of("/proc/self/status")).stream()
        .filter(line -> line.startsWith("Uid:"))
        .anyMatch(line -> line.split("\\s+")[1].equals("0"));
  }

  private static boolean onPath(String program) {
    return Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
        .anyMatch(dir -> Files.isExecutable(Path.of(dir, program)));
  }

  private record Totals(int tests, int failed, int skipped) {}

  private static Totals readReports(Path reports) throws Exception {
    List<Path> files;
    try (Stream<Path> listing = Files.list(reports)) {
      files = listing.filter(p -> p.getFileName().toString().matches("TEST-.*\\.xml")).toList();
    } catch (IOException e) {
      throw new AssertionError("no JUnit reports from the lab in " + reports, e);
    }
    assertThat(files).as("JUnit reports in %s", reports).isNotEmpty();
    int tests = 0;
    int failed = 0;
    int skipped = 0;
    for (Path file : files) {
      NodeList suites =
          DocumentBuilderFactory.newInstance()
              .newDocumentBuilder()
              .parse(file.toFile())
              .getElementsByTagName("testsuite");
      for (int i = 0; i < suites.getLength(); i++) {
        Element suite = (Element) suites.item(i);
        tests += count(suite, "tests");
        failed += count(suite, "failures") + count(suite, "errors");
        skipped += count(suite, "skipped");
      }
    }
    return new Totals(tests, failed, skipped);
  }

  private static int count(Element suite, String attribute) {
    String value = suite.getAttribute(attribute);
    return value.isEmpty() ? 0 : Integer.parseInt(value);
  }
}
