package org.wsss4j.train;

import java.util.Map;

/**
 * What one step did: its loss terms (already weighted) and observed metrics by name, the learning
 * rate and the wall time.
 */
public record StepLog(long step, double loss, Map<String, Double> terms, double lr, double millis) {}
