/**
 * keepalived.conf as text: lines, words, blocks and include files, each statement with its file and
 * line ({@link io.lvsoperator.keepalived.conf.ConfigReader}); and the findings of the import
 * ({@link io.lvsoperator.keepalived.conf.Diagnostic}).
 */
package io.lvsoperator.keepalived.conf;
