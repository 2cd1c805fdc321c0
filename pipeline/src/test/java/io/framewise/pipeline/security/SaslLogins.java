package io.framewise.pipeline.security;

import java.util.LinkedHashMap;
import java.util.Map;

/** JAAS lines and client settings for SASL logins. */
final class SaslLogins {

    private SaslLogins() {
    }

    static String plain(String user, String password) {
        return "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + user
                + "\" password=\"" + password + "\";";
    }

    static String scram(String user, String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user
                + "\" password=\"" + password + "\";";
    }

    /** SASL_PLAINTEXT client settings for one mechanism and JAAS line. */
    static Map<String, String> client(String mechanism, String jaas) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("security.protocol", "SASL_PLAINTEXT");
        p.put("sasl.mechanism", mechanism);
        p.put("sasl.jaas.config", jaas);
        return p;
    }
}
