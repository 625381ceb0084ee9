/// <reference types="mocha" />
// The web app's tsconfig types the browser, not the test runner: mocha's globals are named here.
import assert from 'node:assert/strict';
import { createI18n } from '../../i18n/i18n';
import { nobodyText, teamNetworkText, type TeamNetworkReach } from './nobody-text';

describe('What the screens say of her reach', () => {
  const { t } = createI18n('en');
  const counted = (optedIn: number, waitingForYes = 0, smsName: string | null = 'Red Sur'): TeamNetworkReach => ({ status: 'counted', smsName, tier: 3, optedIn, waitingForYes });

  it("says what her team network adds, by count and tier, and whether one or several", () => {
    assert.equal(teamNetworkText(t, counted(3)), '+ 3 responders of Red Sur at tier 3');
    assert.equal(teamNetworkText(t, counted(1)), '+ 1 responder of Red Sur at tier 3');
    assert.equal(teamNetworkText(t, counted(2, 0, null)), '+ 2 responders of your team at tier 3');
    assert.equal(teamNetworkText(t, null), null);
  });

  it('adds to "nobody will be alerted" that her team network has nobody either, or no longer counts', () => {
    assert.equal(nobodyText(t, ['Bea']), 'Nobody will be alerted: Bea has not replied YES yet.');
    assert.equal(nobodyText(t, ['Bea'], counted(0, 2)), "Nobody will be alerted: Bea has not replied YES yet. No responder of Red Sur's urgent-action network has replied YES yet: it alerts nobody.");
    assert.match(nobodyText(t, [], { status: 'not_a_member', smsName: null, tier: null, optedIn: 0, waitingForYes: 0 }), /no trusted contact has replied YES.* You are no longer a member of the team whose urgent-action network you chose: it will not be alerted\.$/);
  });
});
