package io.lvsoperator.operator;

import java.time.Clock;

/**
 * What the reconcilers share: the one compile of the cluster, the informer caches, the change
 * routing between controllers, the agents' reports, Events, metrics, the Lease guard and the clock.
 */
record Shared(
    ClusterModel model,
    ClusterCaches caches,
    ChangeRouting routing,
    AgentReports reports,
    EventRecorder events,
    OperatorMetrics metrics,
    LeaderGuard guard,
    Clock clock) {}
