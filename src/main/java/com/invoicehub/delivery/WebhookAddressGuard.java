package com.invoicehub.delivery;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.apache.hc.client5.http.SystemDefaultDnsResolver;

/**
 * SSRF defence for customer webhooks, applied when the connection is made (the resolver's answer is exactly what the
 * HTTP client connects to, so a DNS answer cannot change between check and use): loopback, private, link-local
 * (cloud metadata 169.254.169.254 among them), unique-local IPv6, carrier-grade NAT, unspecified and multicast
 * addresses are refused, also inside IPv4-mapped, -compatible and NAT64 IPv6 addresses, unless a configured network
 * (CIDR) allows them.
 */
class WebhookAddressGuard extends SystemDefaultDnsResolver {

    /** Thrown for a refused address; an UnknownHostException so the HTTP client gives up on the host at once. */
    static class RefusedAddressException extends UnknownHostException {
        RefusedAddressException(String message) {
            super(message);
        }
    }

    private record Network(byte[] prefix, int bits) {
        boolean contains(InetAddress address) {
            byte[] bytes = address.getAddress();
            if (bytes.length != prefix.length) {
                return false;
            }
            for (int bit = 0; bit < bits; bit++) {
                int mask = 0x80 >> (bit % 8);
                if ((bytes[bit / 8] & mask) != (prefix[bit / 8] & mask)) {
                    return false;
                }
            }
            return true;
        }
    }

    private final List<Network> allowed = new ArrayList<>();

    WebhookAddressGuard(List<String> allowedNetworks) {
        for (String cidr : allowedNetworks) {
            if (cidr == null || cidr.isBlank()) {
                continue;
            }
            String[] parts = cidr.strip().split("/");
            try {
                byte[] prefix = InetAddress.getByName(parts[0]).getAddress();
                int bits = parts.length > 1 ? Integer.parseInt(parts[1]) : prefix.length * 8;
                allowed.add(new Network(prefix, bits));
            } catch (UnknownHostException | NumberFormatException e) {
                throw new IllegalArgumentException("hub.delivery.webhook-allowed-networks: " + cidr
                        + " is not a network such as 127.0.0.1/32 or ::1/128", e);
            }
        }
    }

    @Override
    public InetAddress[] resolve(String host) throws UnknownHostException {
        InetAddress[] addresses = super.resolve(host);
        for (InetAddress address : addresses) {
            check(host, address);
        }
        return addresses;
    }

    /** Whether the address is in hub.delivery.webhook-allowed-networks. */
    boolean allowListed(InetAddress address) {
        return allowed.stream().anyMatch(network -> network.contains(address));
    }

    void check(String host, InetAddress address) throws RefusedAddressException {
        if (allowListed(address)) {
            return;
        }
        String why = whyRefused(address);
        if (why != null) {
            throw new RefusedAddressException("refused: " + host + " resolves to " + address.getHostAddress()
                    + ", " + why + " (not in hub.delivery.webhook-allowed-networks)");
        }
    }

    /** Null when the address is a public one. */
    static String whyRefused(InetAddress address) {
        if (address instanceof Inet6Address) {
            InetAddress embedded = embeddedIpv4(address.getAddress());
            if (embedded != null) {
                String why = whyRefused(embedded);
                return why == null ? null : why + " inside an IPv6 address";
            }
            if ((address.getAddress()[0] & 0xfe) == 0xfc) {
                return "a unique-local IPv6 address";
            }
        }
        if (address.isLoopbackAddress()) {
            return "a loopback address";
        }
        if (address.isAnyLocalAddress()) {
            return "the unspecified address";
        }
        if (address.isLinkLocalAddress()) {
            return "a link-local address (cloud metadata lives there)";
        }
        if (address.isSiteLocalAddress()) {
            return "a private address";
        }
        if (address.isMulticastAddress()) {
            return "a multicast address";
        }
        if (address instanceof Inet4Address) {
            byte[] b = address.getAddress();
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            if (first == 0) {
                return "a 'this network' address";
            }
            if (first == 100 && second >= 64 && second <= 127) {
                return "a carrier-grade NAT address";
            }
            if (first == 198 && (second == 18 || second == 19)) {
                return "a benchmarking network address";
            }
            if (first >= 240) {
                return "a reserved address";
            }
        }
        return null;
    }

    /** The IPv4 address inside an IPv4-mapped (::ffff:a.b.c.d), -compatible (::a.b.c.d) or NAT64 address. */
    private static InetAddress embeddedIpv4(byte[] v6) {
        byte[] v4 = Arrays.copyOfRange(v6, 12, 16);
        boolean zeros = true;
        for (int i = 0; i < 10; i++) {
            zeros &= v6[i] == 0;
        }
        boolean mapped = zeros && (v6[10] & 0xff) == 0xff && (v6[11] & 0xff) == 0xff;
        boolean compatible = zeros && v6[10] == 0 && v6[11] == 0 && !(v4[0] == 0 && v4[1] == 0 && v4[2] == 0);
        boolean nat64 = (v6[0] & 0xff) == 0x00 && (v6[1] & 0xff) == 0x64 && (v6[2] & 0xff) == 0xff
                && (v6[3] & 0xff) == 0x9b;
        if (!mapped && !compatible && !nat64) {
            return null;
        }
        try {
            return InetAddress.getByAddress(v4);
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
