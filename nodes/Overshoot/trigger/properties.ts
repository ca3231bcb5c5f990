// The trigger's fields, in the order a user fills them in: where, what to ask, when to fire.

import type { INodeProperties } from 'n8n-workflow';

import { askWhenFields, conditionFields } from './fields/condition';
import { triggerOptions } from './fields/options';
import {
	mediaFields,
	modelFields,
	promptField,
	responseFormatFields,
} from '../shared/fields/question';
import { sourceFields } from '../shared/fields/source';

export const triggerProperties: INodeProperties[] = [
	...sourceFields,
	...modelFields,
	promptField,
	...mediaFields,
	...responseFormatFields,
	...askWhenFields,
	...conditionFields,
	triggerOptions,
];
