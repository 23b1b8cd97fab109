import { readFileSync } from 'node:fs';
import { openDatabase } from '../../src/store/database.ts';
import { PaymentStore } from '../../src/store/payment-store.ts';

/**
 * A separate process that imports a payment results file, for the crash test: argv is the
 * database URL, the batch id and the file. It says "importing" on stdout just before it starts, so
 * the test can kill it in the middle.
 */
const [url, batchId, file] = process.argv.slice(2);
const database = await openDatabase({ url: url!, migrate: false });
process.stdout.write('importing\n');
const { applied, errors } = await new PaymentStore(database.db).importResults({
  batchId: batchId!, text: readFileSync(file!, 'utf8'), actor: { id: 'admin', role: 'administrator', name: 'admin' }, today: '2027-01-26', at: new Date('2027-01-26T02:00:00Z'),
});
process.stdout.write(`applied ${applied} rejected ${errors.length}\n`);
await database.close();
