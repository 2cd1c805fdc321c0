package io.framewise.pipeline.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The layout of docs/architecture.md stays true: inside each module no package depends on a package
 * that depends back on it, and no module reaches up the chain (inference knows nothing of operators,
 * operators nothing of pipeline). Dependencies are read from the main sources: imports and fully
 * qualified names of project classes (a Javadoc link needs an import, so it counts too).
 */
class PackageCyclesTest {

    private static final Pattern PACKAGE = Pattern.compile("^package ([\\w.]+);", Pattern.MULTILINE);
    private static final Pattern PROJECT_REF = Pattern.compile("\\b(io\\.framewise\\.[a-z][\\w.]*?)\\.[A-Z]");

    @ParameterizedTest
    @ValueSource(strings = {"inference", "operators", "pipeline"})
    void noPackageCycles(String module) {
        Map<String, Set<String>> graph = dependencies(module);
        assertTrue(graph.size() > 3, module + ": found " + graph.keySet());
        List<Set<String>> cycles = stronglyConnected(graph).stream().filter(c -> c.size() > 1).toList();
        assertEquals(List.of(), cycles, () -> module + " has package cycles; edges: " + edges(graph, cycles));
    }

    @ParameterizedTest
    @ValueSource(strings = {"inference", "operators"})
    void noModuleReachesUp(String module) {
        List<String> above = module.equals("inference") ? List.of("io.framewise.operators", "io.framewise.pipeline")
                : List.of("io.framewise.pipeline");
        Map<String, Set<String>> graph = dependencies(module);
        graph.forEach((from, tos) -> tos.forEach(to -> assertTrue(above.stream().noneMatch(to::startsWith),
                from + " -> " + to)));
    }

    private static Map<String, Set<String>> dependencies(String module) {
        Path root = Path.of("..", module, "src", "main", "java");
        Map<String, Set<String>> graph = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                String src = Files.readString(f);
                Matcher p = PACKAGE.matcher(src);
                if (!p.find()) {
                    continue;
                }
                String pkg = p.group(1);
                Set<String> to = graph.computeIfAbsent(pkg, k -> new TreeSet<>());
                Matcher m = PROJECT_REF.matcher(src.substring(p.end()));
                while (m.find()) {
                    if (!m.group(1).equals(pkg)) {
                        to.add(m.group(1));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return graph;
    }

    /** Tarjan's algorithm. */
    private static List<Set<String>> stronglyConnected(Map<String, Set<String>> graph) {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        List<String> stack = new ArrayList<>();
        Set<String> onStack = new HashSet<>();
        List<Set<String>> out = new ArrayList<>();
        for (String v : graph.keySet()) {
            if (!index.containsKey(v)) {
                visit(v, graph, index, low, stack, onStack, out);
            }
        }
        return out;
    }

    private static void visit(String v, Map<String, Set<String>> graph, Map<String, Integer> index,
                              Map<String, Integer> low, List<String> stack, Set<String> onStack,
                              List<Set<String>> out) {
        index.put(v, index.size());
        low.put(v, index.get(v));
        stack.add(v);
        onStack.add(v);
        for (String w : graph.getOrDefault(v, Set.of())) {
            if (!graph.containsKey(w)) {
                continue; // another module
            }
            if (!index.containsKey(w)) {
                visit(w, graph, index, low, stack, onStack, out);
                low.put(v, Math.min(low.get(v), low.get(w)));
            } else if (onStack.contains(w)) {
                low.put(v, Math.min(low.get(v), index.get(w)));
            }
        }
        if (low.get(v).equals(index.get(v))) {
            Set<String> component = new TreeSet<>();
            String w;
            do {
                w = stack.remove(stack.size() - 1);
                onStack.remove(w);
                component.add(w);
            } while (!w.equals(v));
            out.add(component);
        }
    }

    private static List<String> edges(Map<String, Set<String>> graph, List<Set<String>> cycles) {
        List<String> e = new ArrayList<>();
        for (Set<String> c : cycles) {
            for (String a : c) {
                graph.get(a).stream().filter(c::contains).forEach(b -> e.add(a + " -> " + b));
            }
        }
        return e;
    }
}
