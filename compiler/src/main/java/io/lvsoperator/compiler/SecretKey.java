package io.lvsoperator.compiler;

/** One key of one Secret. */
public record SecretKey(String namespace, String name, String key) {}
