# Sourced by ./effort and ./run-tests: finds a JDK >= 21 and sets JAVA_HOME to it.
# Order: $JAVA_HOME, the java on PATH, then the folders where Linux distributions, macOS and
# common installers put JDKs (newest first).

effort_java_major() { # JAVA_HOME -> major version, or nothing
  local v
  v=$("$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p' | head -n1)
  case "$v" in 1.*) echo "${v#1.}" ;; *) echo "$v" ;; esac
}

effort_find_jdk() {
  local candidates=() c major
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  if command -v java >/dev/null 2>&1; then
    c=$(readlink -f "$(command -v java)" 2>/dev/null || command -v java)
    candidates+=("$(dirname "$(dirname "$c")")")
  fi
  for c in $(ls -d /usr/lib/jvm/* /usr/java/* /opt/java/* /opt/jdk* /opt/*/jdk* \
      /Library/Java/JavaVirtualMachines/*/Contents/Home "$HOME"/.sdkman/candidates/java/* \
      "$HOME"/.jdks/* 2>/dev/null | sort -rV); do
    candidates+=("$c")
  done
  for c in "${candidates[@]}"; do
    [ -x "$c/bin/java" ] && [ -x "$c/bin/javac" ] || continue
    major=$(effort_java_major "$c")
    if [ -n "$major" ] && [ "$major" -ge 21 ] 2>/dev/null; then
      export JAVA_HOME="$c"
      export EFFORT_JAVA_MAJOR="$major"
      return 0
    fi
  done
  echo "effort: no JDK 21 or newer found (looked at JAVA_HOME, java on PATH, /usr/lib/jvm, /usr/java, /opt)." >&2
  echo "effort: install one (e.g. 'apt-get install openjdk-21-jdk' or Temurin 21+) or set JAVA_HOME to it." >&2
  return 1
}

effort_maven_opts() {
  # Maven 3.8's bundled Guava calls sun.misc.Unsafe, which JDK 23+ warns about on every build.
  if [ "${EFFORT_JAVA_MAJOR:-0}" -ge 23 ]; then
    export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
  fi
  if ! command -v mvn >/dev/null 2>&1; then
    echo "effort: Maven (mvn) is needed to build Effort; install it (e.g. 'apt-get install maven')." >&2
    return 1
  fi
}
