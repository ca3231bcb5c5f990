// When an answer counts as a match, and when a match starts the workflow. Trigger only.
// Display names match the engine's error field names (watch/condition.ts, watch/options.ts).

import type { INodeProperties } from 'n8n-workflow';

import { numberField } from '../../shared/numbers';
import { ASK_NUMBERS, FIRE_NUMBERS } from '../numbers';
import { versionedField } from '../versions';

const textKinds = ['contains', 'notContains', 'equals'];
/** Overshoot pulls that camera itself: n8n never sees its frames, so it can only ask on the clock. */
const notPulled = { source: ['pulledCamera'] };
const onChange = { show: { askWhen: ['change'] }, hide: notPulled };

/** Defaults of the "When the Picture Changes" fields (the literals below; n8n's lint wants them literal). */
export const CHANGE_MODE_DEFAULTS = {
	heartbeatSeconds: ASK_NUMBERS.heartbeatSeconds.default,
	minGapSeconds: ASK_NUMBERS.minGapSeconds.default,
};

/** When questions are asked: on a clock, or when the picture changes (ask-schedule.ts). */
export const askWhenFields: INodeProperties[] = [
	// eslint-disable-next-line n8n-nodes-base/node-param-default-missing -- the default depends on the node version: versionedField sets it from the table in versions.ts
	...versionedField('askWhen', {
		displayName: 'When to Ask',
		name: 'askWhen',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Every N Seconds',
				value: 'interval',
				description: 'On a fixed clock. Simple and predictable; an alert waits up to one interval.',
			},
			{
				name: 'When the Picture Changes',
				value: 'change',
				description:
					'At once when something moves or appears (every frame is compared here, for free), and at least every few minutes. Fastest alerts, fewest paid questions.',
			},
		],
		displayOptions: { hide: notPulled },
	}),
	...[{ show: { askWhen: ['interval'] } }, { show: { askWhen: ['change'], ...notPulled } }].map(
		(displayOptions): INodeProperties =>
			numberField(ASK_NUMBERS.askEverySeconds, { displayOptions }),
	),
	numberField(ASK_NUMBERS.minGapSeconds, { displayOptions: onChange }),
	numberField(ASK_NUMBERS.heartbeatSeconds, { displayOptions: onChange }),
];

export const conditionFields: INodeProperties[] = [
	{
		displayName: 'Condition',
		name: 'condition',
		type: 'options',
		noDataExpression: true,
		default: 'yes',
		description: 'When an answer counts as a match',
		options: [
			{
				name: 'Answer Changed',
				value: 'changed',
				description: 'The answer differs from the previous one (ignoring case and punctuation)',
			},
			{
				name: 'Answer Contains',
				value: 'contains',
				description: 'The answer contains the text below',
			},
			{
				name: 'Answer Does Not Contain',
				value: 'notContains',
				description: 'The answer does not contain the text below',
			},
			{
				name: 'Answer Equals',
				value: 'equals',
				description:
					'The whole answer is the text below (ignoring case, quotes and a final full stop)',
			},
			{ name: 'Answer Is No', value: 'no', description: 'The answer starts with "no"' },
			{
				name: 'Answer Is Yes',
				value: 'yes',
				description: 'The answer starts with "yes" (ask a yes/no question)',
			},
			{
				name: 'Answer Matches Regular Expression',
				value: 'regex',
				description: 'The answer matches the regular expression below',
			},
			{
				name: 'Every Answer',
				value: 'always',
				description: 'Every answer is a match (e.g. a scene log every N seconds)',
			},
			{
				name: 'JSON Field',
				value: 'jsonField',
				description: 'A field of a JSON answer compares as set below (use Response Format: JSON)',
			},
		],
	},
	{
		displayName: 'Text',
		name: 'conditionText',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'person',
		displayOptions: { show: { condition: textKinds } },
	},
	{
		displayName: 'Regular Expression',
		name: 'conditionRegex',
		type: 'string',
		required: true,
		default: '',
		placeholder: '\\b(person|people|man|woman)\\b',
		description: 'A JavaScript regular expression, without slashes',
		displayOptions: { show: { condition: ['regex'] } },
	},
	{
		displayName: 'Case Sensitive',
		name: 'caseSensitive',
		type: 'boolean',
		default: false,
		description: 'Whether upper and lower case must match exactly',
		displayOptions: { show: { condition: ['contains', 'notContains', 'regex'] } },
	},
	{
		displayName: 'JSON Field',
		name: 'jsonField',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'person_present',
		description:
			'Path of the field in the JSON answer: "door.open", "people.0.name" or "items[0].label"',
		displayOptions: { show: { condition: ['jsonField'] } },
	},
	{
		displayName: 'Comparison',
		name: 'jsonOperator',
		type: 'options',
		noDataExpression: true,
		default: 'isTrue',
		options: [
			{
				name: 'Contains',
				value: 'contains',
				description: 'Text contains the value, or a list has it as an item',
			},
			{ name: 'Equals', value: 'equals' },
			{ name: 'Greater Than', value: '>' },
			{ name: 'Greater Than or Equal', value: '>=' },
			{ name: 'Is False', value: 'isFalse' },
			{ name: 'Is True', value: 'isTrue' },
			{ name: 'Less Than', value: '<' },
			{ name: 'Less Than or Equal', value: '<=' },
			{ name: 'Not Equals', value: 'notEquals' },
		],
		displayOptions: { show: { condition: ['jsonField'] } },
	},
	{
		displayName: 'Value',
		name: 'jsonValue',
		type: 'string',
		default: '',
		placeholder: '2',
		description:
			'What the field is compared with. Numbers compare as numbers, "true"/"false" as booleans.',
		displayOptions: {
			show: {
				condition: ['jsonField'],
				jsonOperator: ['equals', 'notEquals', '>', '>=', '<', '<=', 'contains'],
			},
		},
	},
	{
		displayName: 'Fire',
		name: 'fire',
		type: 'options',
		noDataExpression: true,
		default: 'onBecomingTrue',
		options: [
			{
				name: 'Only When It Becomes True',
				value: 'onBecomingTrue',
				description:
					'Once when the condition turns from false to true (one alert per arrival, not one per question)',
			},
			{
				name: 'On Every Match',
				value: 'everyMatch',
				description: 'Every matching answer starts the workflow (subject to the cooldown)',
			},
			{
				name: 'When It Starts and When It Clears',
				value: 'incident',
				description:
					'Once when the condition becomes true (incident.state "started") and once when it has been false again (incident.state "cleared", with the duration), e.g. to open and close a ticket',
			},
		],
		displayOptions: { hide: { condition: ['always'] } },
	},
	numberField(FIRE_NUMBERS.clearAfterAnswers, {
		displayOptions: { show: { fire: ['incident'] }, hide: { condition: ['always'] } },
	}),
	numberField(FIRE_NUMBERS.cooldownSeconds, { displayOptions: { hide: { fire: ['incident'] } } }),
	numberField(FIRE_NUMBERS.matchesInARow),
	{
		displayName: 'Emit Every Answer (for Tuning)',
		name: 'emitEveryAnswer',
		type: 'boolean',
		default: false,
		description:
			'Whether to start the workflow with every answer, matching or not, with the condition result in the output. Use it with "Listen for Test Event" to tune the prompt, then switch it off.',
	},
];
