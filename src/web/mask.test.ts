import assert from 'node:assert/strict';
import { it } from 'node:test';
import { maskInvestorId } from './mask.ts';

it('masks all but the first two and last two characters of an investor id', () => {
  assert.equal(maskInvestorId('INV0001234'), 'IN******34');
  assert.equal(maskInvestorId('inv-李雷A'), 'in***雷A');
  assert.equal(maskInvestorId('ABCD'), '****');
  assert.equal(maskInvestorId('ABCDE'), 'AB*DE');
});
