// What Kafka will see: the JVM's own RFC 2253 rendering of each profile's subject and the result
// of the broker's mapping rule applied with java.util.regex, as Kafka's SslPrincipalMapper does.
// Runs with the system JDK (single-file source launch); Java 17 is a requirement of the broker.
import { spawnSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { KAFKA_PRINCIPAL_MAPPING_RULES } from '../src/index.ts';
import { createTestCa, tempDir, type TestCa } from './support/test-ca.ts';

const JAVA = `
import java.io.FileInputStream;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.regex.Pattern;

public class Principal {
  public static void main(String[] args) throws Exception {
    String rule = args[0];
    String body = rule.substring("RULE:".length(), rule.length() - 1);
    int slash = body.lastIndexOf('/');
    Pattern pattern = Pattern.compile(body.substring(0, slash));
    String replacement = body.substring(slash + 1);
    CertificateFactory factory = CertificateFactory.getInstance("X.509");
    for (int i = 1; i < args.length; i++) {
      X509Certificate cert = (X509Certificate) factory.generateCertificate(new FileInputStream(args[i]));
      String dn = cert.getSubjectX500Principal().getName(); // RFC 2253, what Kafka matches on
      var m = pattern.matcher(dn);
      System.out.println(dn + "|" + (m.matches() ? m.replaceAll(replacement) : "NO MATCH"));
    }
  }
}
`;

let t: TestCa;
beforeAll(async () => {
  t = await createTestCa();
});
afterAll(() => t.cleanup());

it('the JVM renders CN,OU,O and the mapping rule yields the short principal', async () => {
  const dir = await tempDir();
  const certs = [
    await t.ca.issue({ profile: 'control-plane', name: 'cp', dnsNames: ['localhost'] }),
    await t.ca.issue({ profile: 'broker', name: '0', ipAddresses: ['127.0.0.1'] }),
    await t.ca.issue({ profile: 'node', name: 'abc' }),
    await t.ca.issue({ profile: 'operator', name: 'admin' }),
  ];
  const files = [];
  for (const [i, c] of certs.entries()) {
    files.push(join(dir, `${i}.pem`));
    await writeFile(files[i]!, c.certPem);
  }
  await writeFile(join(dir, 'Principal.java'), JAVA);
  const run = spawnSync('java', [join(dir, 'Principal.java'), KAFKA_PRINCIPAL_MAPPING_RULES, ...files], {
    encoding: 'utf8',
  });
  expect(run.stderr).toBe('');
  expect(run.stdout.trim().split('\n')).toEqual([
    'CN=control-plane,OU=control-plane,O=Enclave|control-plane',
    'CN=broker-0,OU=broker,O=Enclave|broker-0',
    'CN=node-abc,OU=node,O=Enclave|node-abc',
    'CN=operator-admin,OU=operator,O=Enclave|operator-admin',
  ]);
});
