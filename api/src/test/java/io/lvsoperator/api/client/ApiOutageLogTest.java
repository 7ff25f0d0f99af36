package io.lvsoperator.api.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class ApiOutageLogTest {
  private long now;
  private final ApiOutageLog outages = new ApiOutageLog(() -> now);

  @Test
  void eachKindOfFailureIsCountedFromOneAndTheCountsEndWithTheOutage() {
    Throwable refused =
        new CompletionException(new IOException(new ConnectException("Connection refused")));
    String kind = ApiOutageLog.describe(refused);

    assertThat(kind).isEqualTo("ConnectException: Connection refused");
    assertThat(outages.failed(null, kind, refused)).as("the first: with its stack").isEqualTo(1);
    assertThat(outages.failed(null, kind, refused)).as("then one line each").isEqualTo(2);
    assertThat(outages.failed(null, "HTTP 503", null)).isEqualTo(1);
    assertThat(outages.failed(null, kind, refused)).isEqualTo(3);

    outages.reachable();
    assertThat(outages.failed(null, kind, refused))
        .as("a new outage shows the stack again")
        .isEqualTo(1);
  }

  @Test
  void aFailureMessageStaysOnOneLine() {
    assertThat(ApiOutageLog.describe(new IOException("a\r\nb \"c\"")))
        .isEqualTo("IOException: a b  c ");
  }
}
