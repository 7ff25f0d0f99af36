/**
 * The directors' configurations merged into objects ({@link
 * io.lvsoperator.keepalived.manifest.ManifestMapper}) and written as commented YAML ({@link
 * io.lvsoperator.keepalived.manifest.YamlWriter}).
 */
package io.lvsoperator.keepalived.manifest;
