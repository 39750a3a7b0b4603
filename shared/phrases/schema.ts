// The rules of the contract's own schemas (shared/api.ts, shared/domain.ts: rule()), said when an argument breaks one.
import type { Translation } from './types.ts';

export const en = {
  'schema.itemIdRequired': 'an item id is required',
  'schema.itemIdFormat': 'an item id is 26 letters and digits',
  'schema.nameEmpty': 'a name cannot be empty',
  'schema.titleEmpty': 'a title cannot be empty',
  'schema.testimonyTitle': 'a testimony needs a title',
  'schema.noteTitle': 'a note needs a title',
  'schema.filePathRequired': 'a file path is required',
  'schema.pathsRequired': 'name at least one file or folder to import',
  'schema.callId': '1 to 100 letters, digits, hyphens, underscores, dots or colons',
  'schema.dateFormat': 'a date must look like 2019, 2019-10, 2019-10-25 or 2019-10-25T14:30:00Z',
  'schema.dateNotOnCalendar': 'there is no such date: check the month, the day and the time',
  'schema.languageCode': 'a language is a code such as ar, en or ckb',
  'schema.queryEmpty': 'a query cannot be empty',
  'schema.queryTooLong': 'a query can be at most 10,000 characters',
  'schema.descriptionTooLong': 'a description can be at most 10,000 characters',

  'schema.passphraseRequired': 'a passphrase is required',
  'schema.passphraseEmpty': 'a passphrase cannot be empty',
  'schema.passphraseTooShort': {
    one: 'the passphrase needs at least {{count}} character (a few unrelated words are easy to remember and hard to guess)',
    other: 'the passphrase needs at least {{count}} characters (a few unrelated words are easy to remember and hard to guess)',
  },
  'schema.recipientNameRequired': 'a recipient needs a name',
  'schema.recipientKeyRequired': 'a recipient key (age1…) is required',

  'schema.selectItems': 'select at least one item',
  'schema.bulk.tagNameRequired': 'a tag name is required to tag',
  'schema.bulk.collectionNameRequired': 'a collection name is required to collect',
  'schema.bulk.noName': 'takes no name with {{action}}',
  'schema.bulk.action.trash': 'trash',
  'schema.bulk.action.restore': 'restore',
} as const;

export const ar: Translation<typeof en> = {
  'schema.itemIdRequired': 'معرّف المادة مطلوب',
  'schema.itemIdFormat': 'معرّف المادة 26 حرفًا ورقمًا',
  'schema.nameEmpty': 'لا يمكن أن يكون الاسم فارغًا',
  'schema.titleEmpty': 'لا يمكن أن يكون العنوان فارغًا',
  'schema.testimonyTitle': 'الشهادة تحتاج إلى عنوان',
  'schema.noteTitle': 'الملاحظة تحتاج إلى عنوان',
  'schema.filePathRequired': 'مسار الملف مطلوب',
  'schema.pathsRequired': 'حدّد ملفًا أو مجلدًا واحدًا على الأقل للاستيراد',
  'schema.callId': 'من 1 إلى 100 من الأحرف اللاتينية أو الأرقام أو الشرطات (-) أو الشرطات السفلية (_) أو النقاط (.) أو النقطتين (:)',
  'schema.dateFormat': 'يجب أن يكون التاريخ بصيغة مثل 2019 أو 2019-10 أو 2019-10-25 أو 2019-10-25T14:30:00Z',
  'schema.dateNotOnCalendar': 'لا يوجد تاريخ كهذا: تحقّق من الشهر واليوم والوقت',
  'schema.languageCode': 'اللغة رمز مثل ar أو en أو ckb',
  'schema.queryEmpty': 'لا يمكن أن يكون الاستعلام فارغًا',
  'schema.queryTooLong': 'لا يمكن أن يزيد الاستعلام على 10,000 حرف',
  'schema.descriptionTooLong': 'لا يمكن أن يزيد الوصف على 10,000 حرف',

  'schema.passphraseRequired': 'عبارة المرور مطلوبة',
  'schema.passphraseEmpty': 'لا يمكن أن تكون عبارة المرور فارغة',
  'schema.passphraseTooShort': {
    one: 'تحتاج عبارة المرور إلى حرف واحد على الأقل (بضع كلمات لا رابط بينها سهلة التذكّر وصعبة التخمين)',
    two: 'تحتاج عبارة المرور إلى حرفين على الأقل (بضع كلمات لا رابط بينها سهلة التذكّر وصعبة التخمين)',
    few: 'تحتاج عبارة المرور إلى {{count}} أحرف على الأقل (بضع كلمات لا رابط بينها سهلة التذكّر وصعبة التخمين)',
    many: 'تحتاج عبارة المرور إلى {{count}} حرفًا على الأقل (بضع كلمات لا رابط بينها سهلة التذكّر وصعبة التخمين)',
    other: 'تحتاج عبارة المرور إلى {{count}} حرف على الأقل (بضع كلمات لا رابط بينها سهلة التذكّر وصعبة التخمين)',
  },
  'schema.recipientNameRequired': 'المستلم يحتاج إلى اسم',
  'schema.recipientKeyRequired': 'مفتاح المستلم (age1…) مطلوب',

  'schema.selectItems': 'اختر مادة واحدة على الأقل',
  'schema.bulk.tagNameRequired': 'اسم الوسم مطلوب لإضافة وسم',
  'schema.bulk.collectionNameRequired': 'اسم المجموعة مطلوب للإضافة إلى مجموعة',
  'schema.bulk.noName': 'لا يُقبل اسم مع {{action}}',
  'schema.bulk.action.trash': 'النقل إلى سلة المحذوفات',
  'schema.bulk.action.restore': 'الاستعادة من سلة المحذوفات',
};
