import type { Deps } from '../../platform/deps.ts';
import { createSecretBox, loadCredentialsKey, type SecretBox } from '../email/secret-box.ts';

const boxes = new WeakMap<Deps, SecretBox>();

/** The same box that seals mailbox and channel credentials (SEVA_SECRET or credentials.key). */
export function widgetSecretBox(deps: Deps): SecretBox {
  let box = boxes.get(deps);
  if (!box) {
    box = createSecretBox(loadCredentialsKey({ secret: deps.config.secret, dataDir: deps.config.dataDir }));
    boxes.set(deps, box);
  }
  return box;
}
