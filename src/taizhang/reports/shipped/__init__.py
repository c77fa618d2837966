"""The Word templates shipped with the project, one per report (``<kind>.docx``).

They are made by :mod:`.build` (``python -m taizhang.reports.shipped.build``) with
python-docx, so their tags are each in one run; offices that want their own red header and
fonts download one, edit it in Word or WPS and upload it (``reports.services.upload_template``).
"""
