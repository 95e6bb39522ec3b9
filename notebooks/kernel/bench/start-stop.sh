#!/usr/bin/env bash
# notebooks/kernel/bench/start-stop.sh [RUNS] — benchmark, not a unit test: starts and stops the
# kit's kernel RUNS times (default 50) through jupyter_client (start, wait_for_ready, execute 1+1,
# shutdown) and counts hangs and failures; see start_stop.py for the categories. The kernelspec is
# generated from the packaged kernel (built first if missing) into target/bench/, with every Jupyter
# folder there too: the home directory is not touched. Exit status 0 only with zero failures.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../../.." && pwd)"
RUNS="${1:-50}"
TARGET="$ROOT/notebooks/kernel/target"
PY="${WSSS4J_PYTHON:-/usr/bin/python3}"

jar() { ls "$TARGET"/wsss4j-kernel-*.jar 2>/dev/null | grep -v -e '-sources' -e '-tests' | head -n 1 || true; }
if [[ -z "$(jar)" || ! -d "$TARGET/classpath" ]]; then
    (cd "$ROOT" && ./mvnw -q -B -DskipTests package)
fi
JAR="$(jar)"

B="$TARGET/bench"
rm -rf "$B/jupyter"
java -cp "$JAR:$TARGET/classpath/*" org.wsss4j.kernel.KernelSpec --out "$B/jupyter/kernels/java" \
    --jar "$JAR" --jars-dir "$TARGET/classpath" --xmx "${WSSS4J_KERNEL_XMX:-1g}" >/dev/null

unset PYTHONPATH PYTHONHOME VIRTUAL_ENV
export PYTHONNOUSERSITE=1
export JUPYTER_PATH="$B/jupyter" JUPYTER_DATA_DIR="$B/jupyter/data" JUPYTER_CONFIG_DIR="$B/jupyter/config"
export JUPYTER_RUNTIME_DIR="$B/jupyter/runtime" IPYTHONDIR="$B/jupyter/ipython"
export WSSS4J_HOME="$B/wsss4j-home" WSSS4J_RESULTS="$B/results" WSSS4J_BENCH_DIR="$B"

echo "start-stop: $RUNS runs on $(java -version 2>&1 | head -n 1); $(nproc) cores" >&2
exec "$PY" "$HERE/start_stop.py" --runs "$RUNS" --out "$B/start-stop.json"
