/**
 * One director's keepalived configuration as typed settings that remember their line ({@link
 * io.lvsoperator.keepalived.model.ConfigInterpreter}), and the keepalived 2.2 keywords the import
 * reads without mapping, with the reason ({@link io.lvsoperator.keepalived.model.Keywords}).
 */
package io.lvsoperator.keepalived.model;
