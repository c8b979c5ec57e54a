# Sourced by ./mvnw and ./flotilla: Flotilla builds and runs with Java 25 or newer (the build compiles for release 25,
# which an older javac refuses; 25 is what CI and the images use). Uses JAVA_HOME when it is new enough, else the
# newest JDK under /usr/lib/jvm, and puts it first on PATH, so the build, the tests and every process they start run
# on it.
flotilla_java_version() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p'
}

flotilla_use_jdk() {
  local wanted=25 best="" best_version=0 candidate version
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ]; then
    version=$(flotilla_java_version "$JAVA_HOME")
    if [ "${version:-0}" -ge "$wanted" ] 2>/dev/null; then
      best=$JAVA_HOME
    fi
  fi
  if [ -z "$best" ]; then
    for candidate in /usr/lib/jvm/*; do
      [ -x "$candidate/bin/javac" ] || continue
      version=$(flotilla_java_version "$candidate")
      if [ "${version:-0}" -ge "$wanted" ] 2>/dev/null && [ "$version" -gt "$best_version" ]; then
        best=$candidate
        best_version=$version
      fi
    done
  fi
  if [ -z "$best" ]; then
    echo "Flotilla needs a JDK $wanted or newer: install one (e.g. Temurin 25 under /usr/lib/jvm)" \
         "or set JAVA_HOME to it" >&2
    return 1
  fi
  export JAVA_HOME=$best
  export PATH="$JAVA_HOME/bin:$PATH"
}
