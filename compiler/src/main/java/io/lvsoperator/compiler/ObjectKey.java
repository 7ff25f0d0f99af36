package io.lvsoperator.compiler;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.Comparator;
import java.util.Objects;

/** Namespace and name of a namespaced object; a missing namespace is "default". */
public record ObjectKey(String namespace, String name) implements Comparable<ObjectKey> {
  private static final Comparator<ObjectKey> ORDER =
      Comparator.comparing(ObjectKey::namespace).thenComparing(ObjectKey::name);

  public ObjectKey {
    namespace = namespace == null || namespace.isEmpty() ? "default" : namespace;
    Objects.requireNonNull(name, "name");
  }

  public static ObjectKey of(HasMetadata resource) {
    return new ObjectKey(resource.getMetadata().getNamespace(), resource.getMetadata().getName());
  }

  @Override
  public int compareTo(ObjectKey o) {
    return ORDER.compare(this, o);
  }

  @Override
  public String toString() {
    return namespace + "/" + name;
  }
}
