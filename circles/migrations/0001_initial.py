"""The circle models, moved from live/ with their tables (live_circle, …) as they are."""

import circles.models
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('live', '0003_presence_seen_at'),
        ('accounts', '0008_personal_data_access'),
        ('courses', '0002_class_rating'),
        ('rooms', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # The tables stay as they are (db_table): only which app owns them changes.
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='Circle',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=40, verbose_name='圈子名称')),
                        ('description', models.TextField(blank=True, max_length=500, verbose_name='简介')),
                        ('cover', models.ImageField(blank=True, upload_to='circles/covers/', verbose_name='封面图片')),
                        ('kind', models.CharField(choices=[('class', '班级圈（报名这门课的学员自动加入）'), ('interest', '兴趣圈（申请加入，圈主同意）')], default='interest', max_length=10, verbose_name='类型')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('course', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='circles', to='courses.coursepage', verbose_name='关联课程')),
                        ('institution', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='circles', to='accounts.institution', verbose_name='开放范围（本机构及下级）')),
                        ('room', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='circle', to='rooms.room')),
                    ],
                    options={
                        'verbose_name': '学习圈',
                        'verbose_name_plural': '学习圈',
                        'db_table': 'live_circle',
                        'ordering': ['name'],
                    },
                ),
                migrations.CreateModel(
                    name='CircleMember',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('role', models.CharField(choices=[('leader', '圈主'), ('deputy', '副圈主'), ('instructor', '老师'), ('member', '成员')], default='member', max_length=12, verbose_name='身份')),
                        ('status', models.CharField(choices=[('pending', '等待圈主同意'), ('active', '已加入'), ('left', '已退出'), ('rejected', '未通过')], default='active', max_length=10, verbose_name='状态')),
                        ('last_read_seq', models.PositiveBigIntegerField(default=0)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('circle', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='memberships', to='circles.circle')),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='circle_memberships', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'live_circlemember',
                    },
                ),
                migrations.CreateModel(
                    name='MessageReport',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('reason', models.CharField(blank=True, max_length=200, verbose_name='原因')),
                        ('outcome', models.CharField(choices=[('open', '待处理'), ('deleted', '已删除消息'), ('muted', '已删除并禁言一天'), ('dismissed', '不需处理')], default='open', max_length=10)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('handled_at', models.DateTimeField(blank=True, null=True)),
                        ('circle', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='reports', to='circles.circle')),
                        ('event', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='reports', to='rooms.roomevent')),
                        ('handled_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('reporter', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'live_messagereport',
                        'ordering': ['-created_at'],
                    },
                ),
                migrations.CreateModel(
                    name='Work',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('title', models.CharField(max_length=60, verbose_name='作品名称')),
                        ('description', models.TextField(blank=True, max_length=500, verbose_name='说明')),
                        ('pinned', models.BooleanField(default=False, verbose_name='置顶')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('author', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='circle_works', to=settings.AUTH_USER_MODEL)),
                        ('circle', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='works', to='circles.circle')),
                    ],
                    options={
                        'db_table': 'live_work',
                        'ordering': ['-pinned', '-created_at'],
                    },
                ),
                migrations.CreateModel(
                    name='CircleFile',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('voice', '语音'), ('audio', '录音'), ('image', '图片'), ('video', '视频')], max_length=8)),
                        ('file', models.FileField(max_length=200, upload_to=circles.models.circle_upload_path)),
                        ('content_type', models.CharField(max_length=60)),
                        ('size', models.PositiveIntegerField()),
                        ('seconds', models.PositiveSmallIntegerField(default=0)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('circle', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='files', to='circles.circle')),
                        ('uploader', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('work', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='files', to='circles.work')),
                    ],
                    options={
                        'db_table': 'live_circlefile',
                    },
                ),
                migrations.CreateModel(
                    name='WorkComment',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('text', models.CharField(max_length=300, verbose_name='评论')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('author', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('work', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='comments', to='circles.work')),
                    ],
                    options={
                        'db_table': 'live_workcomment',
                        'ordering': ['created_at'],
                    },
                ),
                migrations.CreateModel(
                    name='WorkLike',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('work', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='likes', to='circles.work')),
                    ],
                    options={
                        'db_table': 'live_worklike',
                    },
                ),
                migrations.AddConstraint(
                    model_name='circle',
                    constraint=models.UniqueConstraint(condition=models.Q(('kind', 'class')), fields=('course',), name='one_class_circle_per_course'),
                ),
                migrations.AddConstraint(
                    model_name='circle',
                    constraint=models.CheckConstraint(condition=models.Q(models.Q(('kind', 'class'), _negated=True), ('course__isnull', False), _connector='OR'), name='class_circle_has_course'),
                ),
                migrations.AddConstraint(
                    model_name='circlemember',
                    constraint=models.UniqueConstraint(fields=('circle', 'user'), name='one_membership_per_circle'),
                ),
                migrations.AddConstraint(
                    model_name='messagereport',
                    constraint=models.UniqueConstraint(fields=('event', 'reporter'), name='one_report_each'),
                ),
                migrations.AddConstraint(
                    model_name='worklike',
                    constraint=models.UniqueConstraint(fields=('work', 'user'), name='one_like_each'),
                ),
            ],
        ),
    ]
