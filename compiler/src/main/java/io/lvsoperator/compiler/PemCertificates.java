package io.lvsoperator.compiler;

import java.io.ByteArrayInputStream;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks a PEM CA bundle as the agent will load it: at least one {@code -----BEGIN
 * CERTIFICATE-----} block, each an X.509 certificate. Text between blocks (the "# Issuer:" comments
 * of distribution bundles) is allowed. The agent then never finds out at probe time that its trust
 * store is empty.
 */
final class PemCertificates {
  private static final Pattern BLOCK =
      Pattern.compile("-----BEGIN CERTIFICATE-----([^-]*)-----END CERTIFICATE-----");

  private PemCertificates() {}

  static void check(String path, String pem, FieldErrors errors) {
    String shown = "(" + pem.length() + " characters)";
    Matcher m = BLOCK.matcher(pem);
    int count = 0;
    while (m.find()) {
      count++;
      try {
        byte[] der = Base64.getMimeDecoder().decode(m.group(1).strip());
        CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
      } catch (IllegalArgumentException | CertificateException e) {
        errors.add(path, shown, "certificate " + count + " is not an X.509 certificate");
        return;
      }
    }
    if (count == 0) {
      errors.add(
          path, shown, "holds no PEM certificate (-----BEGIN CERTIFICATE----- ... -----END ...)");
    }
  }
}
