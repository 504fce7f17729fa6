package io.parley.relay.ws;

import jakarta.servlet.http.HttpServletRequest;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The address a request came from, for per-address limits: the connection's, or behind a
 * trusted reverse proxy the last entry of the header it sets (earlier entries are whatever the
 * client claimed, and are ignored). An IPv6 address counts by its /64: one subscriber is usually
 * given a whole /64, and would otherwise have as many addresses as it likes.
 */
public final class ClientAddresses {

    private static final Pattern IPV6_TEXT = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

    private final Optional<String> trustedHeader;

    public ClientAddresses(Optional<String> trustedHeader) {
        this.trustedHeader = trustedHeader;
    }

    public String of(HttpServletRequest request) {
        if (trustedHeader.isPresent()) {
            String header = request.getHeader(trustedHeader.get());
            if (header != null) {
                String[] hops = header.split(",");
                String last = hops[hops.length - 1].strip();
                if (!last.isEmpty() && last.length() <= 64) {
                    return limitKey(last);
                }
            }
        }
        return limitKey(request.getRemoteAddr());
    }

    /** The address as limits count it: an IPv6 address by its first 64 bits, anything else as it is. */
    static String limitKey(String address) {
        String literal = address.startsWith("[") && address.endsWith("]")
                ? address.substring(1, address.length() - 1) : address;
        int zone = literal.indexOf('%');
        if (zone >= 0) {
            literal = literal.substring(0, zone);
        }
        if (literal.indexOf(':') < 0 || !IPV6_TEXT.matcher(literal).matches()) {
            return address;
        }
        try {
            // Only a literal reaches here (hex digits, colons and dots): nothing is looked up.
            byte[] bytes = InetAddress.getByName(literal).getAddress();
            if (bytes.length != 16) {
                return InetAddress.getByAddress(bytes).getHostAddress(); // an IPv4-mapped address
            }
            StringBuilder prefix = new StringBuilder();
            for (int i = 0; i < 8; i += 2) {
                prefix.append(Integer.toHexString(((bytes[i] & 0xff) << 8) | (bytes[i + 1] & 0xff))).append(':');
            }
            return prefix.append(":/64").toString();
        } catch (UnknownHostException e) {
            return address;
        }
    }
}
