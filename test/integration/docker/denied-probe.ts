/** Run by docker.test.ts as an unprivileged user: prints the Docker source state as JSON. */
import { scanOptions } from '../../../src/core/context';
import { dockerCollector } from '../../../src/core/docker/collector';
import { GraphBuilder } from '../../../src/core/model/builder';

void (async () => {
  const g = new GraphBuilder();
  await dockerCollector.collect(scanOptions({ dockerSocket: process.argv[2] }), g);
  process.stdout.write(JSON.stringify(g.sources.docker));
})();
