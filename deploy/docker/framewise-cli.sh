#!/usr/bin/env bash
# ./framewise inside the cli image: same main class and the same POM-declared JVM flags.
set -euo pipefail
read -r -a jvm_flags < /opt/framewise/jvm.flags
exec java ${FRAMEWISE_JAVA_OPTS:-} "${jvm_flags[@]}" -cp '/opt/framewise/lib/*' io.framewise.pipeline.cli.FramewiseCli "$@"
