/**
 * The call budget as the user meets it: the words of a rate-limited explicit
 * check (and its notification), of AWS throttling and of the next CloudTrail
 * lookup. The panel is tested in panel.spec.ts, its commands in
 * commands.spec.ts.
 */
import { Notification } from '@jupyterlab/apputils';

import { nullTranslator, TranslationBundle } from '@jupyterlab/translation';

import * as React from 'react';

import { TrustedIdentityAPI } from '../api';

import { nextLookupText, rateLimitedMessage, throttledText } from '../budget';

import { IdentitySection, ThrottledNote } from '../components';

import { TrustedIdentityModel } from '../model';

import { notifyRateLimited } from '../notifications';

import { formatTime } from '../time';

import { TRANSLATION_DOMAIN } from '../translation';

import {
  flush,
  happyServer,
  json,
  quietConsole,
  RouteHandler,
  todayAt,
  waitFor
} from './helpers';

import { render } from './render';

import {
  happy,
  happyKernel,
  outsideStudio,
  rateLimited,
  stsThrottled
} from './reports';

const trans = nullTranslator.load(TRANSLATION_DOMAIN);
const K1 = '159d2982-e0a2-4e4a-9c04-2c483836c516';

/**
 * A bundle that marks every string it translates, to tell translated words
 * from hard-coded ones.
 */
function markingTrans(): TranslationBundle {
  const base = nullTranslator.load(TRANSLATION_DOMAIN);
  return new Proxy(base, {
    get(target, property) {
      const value = (target as any)[property];
      if (typeof value !== 'function') {
        return value;
      }
      return (...args: unknown[]) => {
        const result = value.apply(target, args);
        return typeof result === 'string' ? `«${result}»` : result;
      };
    }
  });
}

function setup(routes: Record<string, RouteHandler> = {}) {
  const server = happyServer(routes);
  const model = new TrustedIdentityModel({
    api: new TrustedIdentityAPI({ serverSettings: server.settings })
  });
  return { server, model };
}

/**
 * The notifications of this extension's rate limit.
 */
function shownNotifications(): Notification.INotification[] {
  return Notification.manager.notifications.filter(n =>
    n.message.includes('AWS was asked moments ago')
  );
}

quietConsole('log', 'warn');
afterEach(() => {
  Notification.manager.dismiss();
  document.body.innerHTML = '';
});

describe('rateLimitedMessage', () => {
  it('says when the next check can ask AWS, only for a rate-limited check', () => {
    expect(rateLimitedMessage(rateLimited(happy(), 25).budget, trans)).toBe(
      'AWS was asked moments ago, so this check shows what is already known. The next check can ask AWS again in 25 seconds.'
    );
    expect(rateLimitedMessage(rateLimited(happy(), 1).budget, trans)).toMatch(
      /again in 1 second\.$/
    );
    expect(
      rateLimitedMessage(rateLimited(happy(), null).budget, trans)
    ).toMatch(/again shortly\.$/);
    // The captured report of an explicit check that asked AWS.
    expect(happy().budget?.explicit_check).toBe('performed');
    expect(rateLimitedMessage(happy().budget, trans)).toBeNull();
    expect(rateLimitedMessage(undefined, trans)).toBeNull();
    // JupyterLab's toasts cut messages after 140 characters.
    expect(
      rateLimitedMessage(rateLimited(happy(), 30).budget, trans)!.length
    ).toBeLessThanOrEqual(140);
  });
});

describe('notifyRateLimited', () => {
  it('tells the user, as information, when their check was rate limited', async () => {
    let answer = rateLimited(happy(), 25);
    const { model } = setup({ 'POST identity/check': () => json(answer) });
    const marking = markingTrans();
    const hook = notifyRateLimited(model, marking);

    await model.refresh();
    await flush(); // the words load with the first rate-limited answer
    let shown = shownNotifications();
    expect(shown).toHaveLength(1);
    expect(shown[0].type).toBe('info');
    // Through the translation bundle.
    expect(shown[0].message).toBe(
      '«AWS was asked moments ago, so this check shows what is already known. The next check can ask AWS again in 25 seconds.»'
    );
    expect(shown[0].options.autoClose).toBeGreaterThan(0);
    // The report served from what is known is shown.
    expect(model.report?.budget?.explicit_check).toBe('rate_limited');

    // A held-down button updates the one notification instead of stacking.
    answer = rateLimited(happy(), 12);
    await model.refresh();
    await flush(); // the words load with the first rate-limited answer
    shown = shownNotifications();
    expect(shown).toHaveLength(1);
    expect(shown[0].message).toContain('again in 12 seconds');

    // Dismissed, the next rate-limited check shows it again.
    Notification.manager.dismiss();
    await model.refresh();
    await flush(); // the words load with the first rate-limited answer
    expect(shownNotifications()).toHaveLength(1);

    // A check that asked AWS says nothing.
    Notification.manager.dismiss();
    answer = happy();
    await model.refresh();
    await flush(); // the words load with the first rate-limited answer
    expect(shownNotifications()).toHaveLength(0);

    hook.dispose();
    answer = rateLimited(happy(), 25);
    await model.refresh();
    await flush(); // the words load with the first rate-limited answer
    expect(shownNotifications()).toHaveLength(0);
    model.dispose();
  });

  it("tells it for a kernel's re-check, and never for the poll's reads", async () => {
    const { model } = setup({
      // Only explicit checks are rate limited; were a read to carry it, the
      // user did not ask for anything and is not told.
      'GET identity': () => json(rateLimited(happy(), 20)),
      'POST kernels/*/check': ({ path }) =>
        json(rateLimited(happyKernel(path.split('/')[1]), 7))
    });
    notifyRateLimited(model, trans);
    await model.start();
    await waitFor(() => !!model.report);
    expect(shownNotifications()).toHaveLength(0);

    model.kernelLaunched(K1, false);
    const report = await model.recheckKernel(K1);
    await flush();
    expect(report?.budget?.explicit_check).toBe('rate_limited');
    const shown = shownNotifications();
    expect(shown).toHaveLength(1);
    expect(shown[0].message).toContain('again in 7 seconds');
    model.dispose();
  });
});

describe('ThrottledNote', () => {
  it('says AWS throttles the listed actions, in a live region', () => {
    const actions = stsThrottled().budget!.throttled;
    // The captured sts_throttled report: STS answered with Throttling.
    expect(actions).toEqual(['sts:GetCallerIdentity']);
    const view = render(<ThrottledNote actions={actions} trans={trans} />);
    const region = view.container.querySelector('[role="status"]')!;
    expect(region.getAttribute('aria-live')).toBe('polite');
    expect(region.textContent).toBe(
      "AWS is throttling this account's calls (sts:GetCallerIdentity). The extension asks less often until it stops."
    );
    view.rerender(<ThrottledNote actions={[]} trans={trans} />);
    // The region stays, empty, so that the note is announced when it comes.
    expect(view.container.querySelector('[role="status"]')).toBe(region);
    expect(region.textContent).toBe('');
    view.unmount();
  });

  it('lists every throttled action', () => {
    expect(
      throttledText(['sagemaker:DescribeDomain', 'sts:GetCallerIdentity'])
    ).toContain('(sagemaker:DescribeDomain, sts:GetCallerIdentity)');
    expect(throttledText([])).toBeNull();
  });
});

describe('the next CloudTrail lookup', () => {
  it('says when CloudTrail is asked again, in the locale time format', () => {
    const report = outsideStudio();
    // The captured report: CloudTrail inconclusive, a lookup scheduled.
    expect(report.verification.next_lookup_at).toBeTruthy();
    const at = todayAt(14, 5);
    report.verification.next_lookup_at = at;
    const view = render(
      <IdentitySection
        report={report}
        expiryWarningMinutes={15}
        trans={trans}
      />
    );
    const note = view.container.querySelector('[data-next-lookup]')!;
    expect(note.getAttribute('data-next-lookup')).toBe(at);
    expect(note.textContent).toBe(
      `CloudTrail is asked again at ${formatTime(at)}.`
    );
    // Hours and minutes of the local time (14:05, or 02:05 PM).
    expect(note.textContent).toMatch(/(14|0?2)\D05/);
    expect(note.getAttribute('title')).toMatch(/^CloudTrail was last asked at/);
    view.unmount();
  });

  it('says nothing when no lookup is scheduled', () => {
    // The captured happy report: verified, kept for the app session.
    const report = happy();
    expect(report.verification.status).toBe('verified');
    expect(report.verification.next_lookup_at).toBeNull();
    const view = render(
      <IdentitySection
        report={report}
        expiryWarningMinutes={15}
        trans={trans}
      />
    );
    expect(view.container.querySelector('[data-next-lookup]')).toBeNull();
    expect(view.text()).not.toContain('CloudTrail is asked again');
    view.unmount();
    expect(nextLookupText({ status: 'pending', next_lookup_at: 'soon' })).toBe(
      null
    );
  });
});
