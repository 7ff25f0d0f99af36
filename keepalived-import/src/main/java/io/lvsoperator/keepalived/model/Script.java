package io.lvsoperator.keepalived.model;

/**
 * A script keepalived runs (notify_master and the like).
 *
 * @param command the command line, arguments included, as keepalived would run it
 * @param user the user to run it as, or null for keepalived's script_user
 */
public record Script(String command, String user) {}
