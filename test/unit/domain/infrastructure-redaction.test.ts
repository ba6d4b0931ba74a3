import { HIDDEN, redactInfrastructure } from '../../../core/domain/infrastructure-redaction.js';

const none = { servers: [], paths: [] };

describe('redactInfrastructure', () => {
  it('hides the API servers and kubeconfig paths it was told of, URL and host alike', () => {
    const known = { servers: ['https://k8s.corp.example:6443/'], paths: ['/srv/hm/cluster.yaml'] };
    expect(
      redactInfrastructure(
        'Get "https://k8s.corp.example:6443/api" failed; k8s.corp.example:6443 refused; read /srv/hm/cluster.yaml',
        known,
      ),
    ).toBe(`Get "${HIDDEN.server}/api" failed; ${HIDDEN.server} refused; read ${HIDDEN.path}`);
  });

  it('hides context names as helm and the Kubernetes adapter print them', () => {
    expect(redactInfrastructure('at X (context prod-admin) failed', none)).toBe(
      'at X (context [context]) failed',
    );
    expect(redactInfrastructure('Error: context "prod-admin" does not exist', none)).toBe(
      'Error: context [context] does not exist',
    );
  });

  it('hides kubeconfig-looking paths it was not told of', () => {
    expect(redactInfrastructure('open /root/.kube/config: denied; ~/.kube/prod too', none)).toBe(
      `open ${HIDDEN.path}: denied; ${HIDDEN.path} too`,
    );
    expect(redactInfrastructure('KUBECONFIG=/etc/kubeconfig-prod.yaml', none)).toBe(
      `KUBECONFIG=${HIDDEN.path}`,
    );
  });

  it('hides internal IPv4 addresses with their ports, and leaves public ones and versions alone', () => {
    const text =
      'dial tcp 10.0.0.1:6443, 172.16.5.4, 172.32.0.1, 192.168.1.20:80, 127.0.0.1:3000, 169.254.1.1, 100.64.0.1, 8.8.8.8, v1.31.4';
    expect(redactInfrastructure(text, none)).toBe(
      `dial tcp ${HIDDEN.address}, ${HIDDEN.address}, 172.32.0.1, ${HIDDEN.address}, ${HIDDEN.address}, ${HIDDEN.address}, ${HIDDEN.address}, 8.8.8.8, v1.31.4`,
    );
  });

  it('leaves ordinary failure reasons as they are', () => {
    const reason =
      'the tests (npm test) exited with code 1; see https://git.example/hello-world.git';
    expect(redactInfrastructure(reason, none)).toBe(reason);
  });
});
