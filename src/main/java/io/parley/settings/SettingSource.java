package io.parley.settings;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Where the raw text of settings comes from. Each value carries its origin, so that an error
 * can tell the operator exactly which parameter, property or variable to fix.
 */
public interface SettingSource {

    /** The raw value of the setting with this name (e.g. {@code api-url}), if given here. */
    Optional<RawSetting> find(String name);

    /** The names of all Parley settings given here, known or not, so that typos can be reported. */
    Set<String> names();

    /** A raw setting value and a human-readable description of where it was given. */
    record RawSetting(String value, String origin) {
    }

    /** Servlet context init parameters named {@code parley.<name>}. */
    static SettingSource initParameters(Function<String, String> lookup, Supplier<List<String>> allNames) {
        return prefixed("context init parameter ", "parley.", lookup, allNames);
    }

    /** Java system properties named {@code parley.<name>}. */
    static SettingSource systemProperties(Properties properties) {
        return prefixed("system property ", "parley.", properties::getProperty,
                () -> new ArrayList<>(properties.stringPropertyNames()));
    }

    /** Environment variables named {@code PARLEY_<NAME>}, upper case with {@code -} as {@code _}. */
    static SettingSource environment(Map<String, String> environment) {
        return new SettingSource() {
            @Override
            public Optional<RawSetting> find(String name) {
                String variable = "PARLEY_" + name.toUpperCase(Locale.ROOT).replace('-', '_');
                return Optional.ofNullable(environment.get(variable))
                        .map(value -> new RawSetting(value, "environment variable " + variable));
            }

            @Override
            public Set<String> names() {
                Set<String> names = new TreeSet<>();
                for (String variable : environment.keySet()) {
                    if (variable.startsWith("PARLEY_")) {
                        names.add(variable.substring(7).toLowerCase(Locale.ROOT).replace('_', '-'));
                    }
                }
                return names;
            }
        };
    }

    /** Plain name-to-value pairs, as tests and embedders give them. */
    static SettingSource of(Map<String, String> values) {
        return prefixed("setting ", "", values::get, () -> new ArrayList<>(values.keySet()));
    }

    /** The first source that has a setting wins. */
    static SettingSource firstOf(SettingSource... sources) {
        return new SettingSource() {
            @Override
            public Optional<RawSetting> find(String name) {
                for (SettingSource source : sources) {
                    Optional<RawSetting> found = source.find(name);
                    if (found.isPresent()) {
                        return found;
                    }
                }
                return Optional.empty();
            }

            @Override
            public Set<String> names() {
                Set<String> names = new TreeSet<>();
                for (SettingSource source : sources) {
                    names.addAll(source.names());
                }
                return names;
            }
        };
    }

    private static SettingSource prefixed(String kind, String prefix, Function<String, String> lookup,
            Supplier<List<String>> allNames) {
        return new SettingSource() {
            @Override
            public Optional<RawSetting> find(String name) {
                return Optional.ofNullable(lookup.apply(prefix + name))
                        .map(value -> new RawSetting(value, kind + prefix + name));
            }

            @Override
            public Set<String> names() {
                Set<String> names = new TreeSet<>();
                for (String full : allNames.get()) {
                    if (full.startsWith(prefix)) {
                        names.add(full.substring(prefix.length()));
                    }
                }
                return Collections.unmodifiableSet(names);
            }
        };
    }
}
