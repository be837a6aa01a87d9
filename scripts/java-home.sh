# Sourced by ./bp4j and ./run-tests: sets JAVA_HOME to a JDK 25 or newer, or stops with one line
# saying what to install. JAVA_HOME wins when it is new enough; otherwise the newest JDK under
# /usr/lib/jvm that is 25+ (Debian's default java is often 17, too old for the Vector API
# incubator flags bp4j is compiled with).

bp4j_java_feature() {
  # Prints the feature release (17, 21, 25…) of the java at $1, or nothing.
  "$1/bin/java" -XshowSettings:properties -version 2>&1 \
    | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n1
}

bp4j_find_jdk() {
  local candidate version
  if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/javac" ]]; then
    version=$(bp4j_java_feature "$JAVA_HOME")
    if [[ -n "$version" && "$version" -ge 25 ]]; then
      return 0
    fi
  fi
  for candidate in $(ls -d /usr/lib/jvm/*/ 2>/dev/null | sort -rV); do
    candidate=${candidate%/}
    [[ -x "$candidate/bin/javac" ]] || continue
    version=$(bp4j_java_feature "$candidate")
    if [[ -n "$version" && "$version" -ge 25 ]]; then
      export JAVA_HOME=$candidate
      return 0
    fi
  done
  echo "bp4j: needs a JDK 25 or newer (none in JAVA_HOME or /usr/lib/jvm); install one, e.g. Temurin 25 (apt-get install temurin-25-jdk from Adoptium's repository), or set JAVA_HOME" >&2
  exit 1
}

bp4j_find_jdk
export PATH="$JAVA_HOME/bin:$PATH"
if ! command -v mvn >/dev/null 2>&1; then
  echo "bp4j: needs Apache Maven to build (apt-get install maven)" >&2
  exit 1
fi
# Maven's own Guice calls sun.misc.Unsafe, which JDK 25 warns about on every build; the flag
# exists only on JDK 24+, so it is set here, where the JDK is known, not in .mvn/jvm.config.
export MAVEN_OPTS="--sun-misc-unsafe-memory-access=allow ${MAVEN_OPTS:-}"
